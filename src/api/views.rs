//! The JSON shapes of organisations, members, teams and plans, shared by the API's answers and
//! the command line's `--json` output so both speak the same format (see docs/openapi.yaml).

use serde::Serialize;

use crate::org::plan::{Limit, Plan};
use crate::store::clock::rfc3339;
use crate::store::{Invitation, LegalContact, Member, Notices, Org, ProductAccess, Team};

/// Legal contact details.
#[derive(Debug, Serialize)]
pub struct ContactView {
    /// Postal address.
    pub address: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
}

impl From<&LegalContact> for ContactView {
    fn from(c: &LegalContact) -> Self {
        ContactView {
            address: c.address.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            country: c.country.clone(),
        }
    }
}

/// An organisation.
#[derive(Debug, Serialize)]
pub struct OrgView {
    /// Id (used in API paths).
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Plan name.
    pub plan: String,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Legal contact details.
    pub contact: ContactView,
}

impl From<&Org> for OrgView {
    fn from(o: &Org) -> Self {
        OrgView {
            id: o.id,
            name: o.name.clone(),
            plan: o.plan.clone(),
            created: rfc3339(o.created),
            contact: (&o.contact).into(),
        }
    }
}

/// Product access.
#[derive(Debug, Serialize)]
pub struct AccessView {
    /// Calendars on.
    pub calendar: bool,
    /// Address books on.
    pub contacts: bool,
}

/// Administrative notices received.
#[derive(Debug, Serialize)]
pub struct NoticesView {
    /// Billing notices.
    pub billing: bool,
    /// Technical notices.
    pub technical: bool,
    /// Security notices.
    pub security: bool,
}

/// A member of an organisation.
#[derive(Debug, Serialize)]
pub struct MemberView {
    /// Login.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Role: `legal-owner`, `admin` or `user`.
    pub role: &'static str,
    /// Product access.
    pub access: AccessView,
    /// Notices.
    pub notices: NoticesView,
}

impl From<ProductAccess> for AccessView {
    fn from(a: ProductAccess) -> Self {
        let ProductAccess { calendar, contacts } = a;
        AccessView { calendar, contacts }
    }
}

impl From<Notices> for NoticesView {
    fn from(n: Notices) -> Self {
        let Notices {
            billing,
            technical,
            security,
        } = n;
        NoticesView {
            billing,
            technical,
            security,
        }
    }
}

impl From<&Member> for MemberView {
    fn from(m: &Member) -> Self {
        MemberView {
            login: m.login.clone(),
            display_name: m.display_name.clone(),
            email: m.email.clone(),
            role: m.role.as_str(),
            access: m.access.into(),
            notices: m.notices.into(),
        }
    }
}

/// The organisation an invitation is to.
#[derive(Debug, Serialize)]
pub struct InvitingOrgView {
    /// Id (used in API paths: `POST /organisations/{id}/join`).
    pub id: i64,
    /// Name.
    pub name: String,
}

/// An invitation waiting for the invitee's answer: the membership offered.
#[derive(Debug, Serialize)]
pub struct InvitationView {
    /// The organisation.
    pub organisation: InvitingOrgView,
    /// The invitee's login.
    pub login: String,
    /// Role offered.
    pub role: &'static str,
    /// Product access offered.
    pub access: AccessView,
    /// Notices offered.
    pub notices: NoticesView,
    /// Login of the member who invited (`null`: the operator, or a removed account).
    pub invited_by: Option<String>,
    /// Creation time, RFC 3339.
    pub created: String,
}

impl From<&Invitation> for InvitationView {
    fn from(i: &Invitation) -> Self {
        InvitationView {
            organisation: InvitingOrgView {
                id: i.org,
                name: i.org_name.clone(),
            },
            login: i.login.clone(),
            role: i.member.role.as_str(),
            access: i.member.access.into(),
            notices: i.member.notices.into(),
            invited_by: i.invited_by.clone(),
            created: rfc3339(i.created),
        }
    }
}

/// A team.
#[derive(Debug, Serialize)]
pub struct TeamView {
    /// Name.
    pub name: String,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Member logins, sorted.
    pub members: Vec<String>,
}

impl From<&Team> for TeamView {
    fn from(t: &Team) -> Self {
        TeamView {
            name: t.name.clone(),
            created: rfc3339(t.created),
            members: t.members.clone(),
        }
    }
}

/// An organisation with its members and teams.
#[derive(Debug, Serialize)]
pub struct OrgDetailView {
    /// The organisation.
    #[serde(flatten)]
    pub org: OrgView,
    /// Its members, by login.
    pub members: Vec<MemberView>,
    /// Its teams, by name.
    pub teams: Vec<TeamView>,
}

/// A count limit: a number, or `"unlimited"`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum LimitView {
    /// At most this many.
    Count(u32),
    /// The word `unlimited`.
    Word(&'static str),
}

impl From<Limit> for LimitView {
    fn from(l: Limit) -> Self {
        match l {
            Limit::AtMost(n) => LimitView::Count(n),
            Limit::Unlimited => LimitView::Word("unlimited"),
        }
    }
}

/// A plan of the catalogue.
#[derive(Debug, Serialize)]
pub struct PlanView {
    /// Name.
    pub name: String,
    /// Rank: higher is an upgrade.
    pub rank: u32,
    /// Personal offer (one account, phone and country required).
    pub personal: bool,
    /// Members get the organisation directory.
    pub directory: bool,
    /// Calendars per account.
    pub calendars: LimitView,
    /// Address books per account.
    pub address_books: LimitView,
    /// Days deleted items stay restorable.
    pub trash_days: u32,
    /// Storage per account, bytes.
    pub quota_bytes: u64,
    /// Largest object, bytes.
    pub max_object_size: u64,
    /// Public links per month.
    pub public_links_per_month: u32,
}

impl From<&Plan> for PlanView {
    fn from(p: &Plan) -> Self {
        PlanView {
            name: p.name.clone(),
            rank: p.rank,
            personal: p.personal,
            directory: p.directory,
            calendars: p.calendars.into(),
            address_books: p.address_books.into(),
            trash_days: p.trash_days,
            quota_bytes: p.quota_bytes,
            max_object_size: p.max_object_size,
            public_links_per_month: p.public_links_per_month,
        }
    }
}

/// A member just added, with the generated password of a new account (shown once).
#[derive(Debug, Serialize)]
pub struct AddedView {
    /// The membership.
    pub member: MemberView,
    /// True when the account was created by this request.
    pub account_created: bool,
    /// The generated password of a created account, when none was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// An error: `{"error": code, "message": text}`, the body of every JSON API refusal and of the
/// command line's failures under `--json`.
#[derive(Debug, Serialize)]
pub struct ErrorView<'a> {
    /// Stable code, for programs.
    pub error: &'a str,
    /// Text for people.
    pub message: &'a str,
}

/// Serializes a view; these shapes always serialize, so a failure is a bug worth a clear text.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_else(|e| {
        serde_json::json!({ "error": "internal", "message": e.to_string() })
            .to_string()
            .into_bytes()
    })
}
