//! Request bodies of the API, read strictly (an unknown member is a 400 naming it) and turned
//! into the domain's inputs.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::org::OrgError;
use crate::org::membership::default_membership;
use crate::store::{LegalContact, MemberUpdate, NewMember, Role};

/// Parses a JSON body (400 with serde's message, which names the offending member).
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("request body: {e}")))
}

/// Legal contact details; absent members are empty.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    country: Option<String>,
}

impl From<ContactInput> for LegalContact {
    fn from(c: ContactInput) -> Self {
        LegalContact {
            address: c.address,
            phone: c.phone,
            email: c.email,
            country: c.country,
        }
    }
}

/// `POST /organisations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrgInput {
    /// Unique name.
    pub name: String,
    /// Plan (default: the configured default plan).
    pub plan: Option<String>,
    /// Legal contact details.
    #[serde(default)]
    pub contact: ContactInput,
}

/// `PUT /organisations/{id}/plan`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The new plan.
    pub plan: String,
}

/// Product access switches; absent ones are left as they are (or take the default).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessInput {
    calendar: Option<bool>,
    contacts: Option<bool>,
}

/// Notice switches; absent ones are left as they are (or take the default).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticesInput {
    billing: Option<bool>,
    technical: Option<bool>,
    security: Option<bool>,
}

/// The account to create with `POST /organisations/{id}/members`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccountInput {
    /// E-mail address.
    pub email: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
    /// Password (generated and returned once when absent).
    pub password: Option<String>,
}

/// `POST /organisations/{id}/members`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddMemberInput {
    /// Login of the account (existing, or to create with `account`).
    pub login: String,
    /// Role (default `user`).
    pub role: Option<String>,
    #[serde(default)]
    access: AccessInput,
    #[serde(default)]
    notices: NoticesInput,
    /// Present to create the account.
    pub account: Option<NewAccountInput>,
}

/// `PATCH /organisations/{id}/members/{login}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    role: Option<String>,
    #[serde(default)]
    access: AccessInput,
    #[serde(default)]
    notices: NoticesInput,
}

/// `POST /organisations/{id}/members/remove`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveInput {
    /// Logins of the members to remove together.
    pub logins: Vec<String>,
}

/// `POST /organisations/{id}/teams`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    /// Team name.
    pub name: String,
}

/// `POST KIND/LOGIN/NAME/objects/OBJECT/copy|move`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelocateInput {
    /// The destination collection (`calendars/LOGIN/NAME` or its DAV href).
    pub to: String,
    /// Replace an object of the same name there (default); false refuses with 412.
    #[serde(default = "yes")]
    pub overwrite: bool,
}

/// `POST addressbooks/LOGIN/NAME/duplicates/merge`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// The object names of the cards to merge (two or more).
    pub objects: Vec<String>,
    /// The one to keep (default: the first).
    pub keep: Option<String>,
}

fn yes() -> bool {
    true
}

fn role(text: &str) -> Result<Role, ApiError> {
    Role::parse(text).ok_or_else(|| OrgError::UnknownRole(text.to_owned()).into())
}

/// The change a role name and switches describe.
fn change(
    role_name: Option<&str>,
    access: &AccessInput,
    notices: &NoticesInput,
) -> Result<MemberUpdate, ApiError> {
    Ok(MemberUpdate {
        role: role_name.map(role).transpose()?,
        calendar: access.calendar,
        contacts: access.contacts,
        billing: notices.billing,
        technical: notices.technical,
        security: notices.security,
    })
}

impl AddMemberInput {
    /// The membership asked for: the role's defaults with the given switches applied.
    pub fn membership(&self) -> Result<NewMember, ApiError> {
        let update = change(self.role.as_deref(), &self.access, &self.notices)?;
        Ok(update.apply(default_membership(update.role.unwrap_or(Role::User))))
    }
}

impl MemberPatch {
    /// The change asked for.
    pub fn update(&self) -> Result<MemberUpdate, ApiError> {
        change(self.role.as_deref(), &self.access, &self.notices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_members_are_named() {
        let err = parse::<MemberPatch>(br#"{"rank":"admin"}"#).unwrap_err();
        assert_eq!(err.status, 400);
        assert!(err.message.contains("rank"), "{}", err.message);
        let err = parse::<MemberPatch>(br#"{"access":{"calendars":false}}"#).unwrap_err();
        assert!(err.message.contains("calendars"), "{}", err.message);
    }

    #[test]
    fn membership_defaults_follow_the_role() {
        let input: AddMemberInput = parse(br#"{"login":"a","role":"legal-owner"}"#).unwrap();
        let m = input.membership().unwrap();
        assert_eq!(m.role, Role::LegalOwner);
        assert!(m.notices.billing && m.access.calendar);
        let input: AddMemberInput =
            parse(br#"{"login":"a","access":{"contacts":false},"notices":{"security":true}}"#)
                .unwrap();
        let m = input.membership().unwrap();
        assert_eq!(m.role, Role::User);
        assert!(m.access.calendar && !m.access.contacts);
        assert!(m.notices.security && !m.notices.billing);
        let bad: AddMemberInput = parse(br#"{"login":"a","role":"owner"}"#).unwrap();
        assert_eq!(bad.membership().unwrap_err().code, "unknown-role");
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let patch: MemberPatch = parse(br#"{"access":{"calendar":false}}"#).unwrap();
        let u = patch.update().unwrap();
        assert_eq!(u.calendar, Some(false));
        assert_eq!((u.role, u.contacts, u.billing), (None, None, None));
    }
}
