//! Organisations: creating one, its legal contact details (legal owners only) and its plan
//! (upgrades only; the personal plans need a mobile phone number, a supported country and a
//! single account).

use super::actor::{Actor, Standing, require_legal_owner, standing};
use super::countries;
use super::error::OrgError;
use super::fields::{MAX_ADDRESS, email_field, is_plain, text_field, trimmed};
use super::home::plan_of;
use super::membership::default_membership;
use super::plan::{Plan, Plans};
use crate::store::{Account, LegalContact, NewMember, NewOrg, Org, Role, Store, StoreError};

/// Checks an organisation or team name: 1-100 characters, no control characters, no space at
/// either end (names are typed on the command line and shown in clients).
pub fn validate_name(name: &str) -> Result<(), OrgError> {
    let ok = !name.is_empty() && is_plain(name, 100) && name.trim() == name;
    if ok {
        Ok(())
    } else {
        Err(OrgError::InvalidName(name.to_owned()))
    }
}

/// Checks a phone number: digits with optional separators (space, '-', '.', parentheses) and
/// an optional leading '+', 6 to 15 digits (E.164's maximum).
fn validate_phone(phone: &str) -> Result<(), OrgError> {
    let body = phone.strip_prefix('+').unwrap_or(phone);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let ok = (6..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " -.()".contains(c));
    if ok {
        Ok(())
    } else {
        Err(OrgError::InvalidPhone(phone.to_owned()))
    }
}

/// Checks legal contact details for an organisation on `plan` and returns them normalised
/// (trimmed, empty values dropped, the country as an upper-case ISO code). The address is one
/// bounded line, the e-mail address has the shape of one, a country must be in the supported
/// list; the personal plans require a phone number and a country.
pub fn check_contact(plan: &Plan, contact: &LegalContact) -> Result<LegalContact, OrgError> {
    let phone = trimmed(contact.phone.as_deref());
    if let Some(p) = &phone {
        validate_phone(p)?;
    }
    let address = text_field("the address", contact.address.as_deref(), MAX_ADDRESS)?;
    let email = email_field(contact.email.as_deref())?;
    let country = match trimmed(contact.country.as_deref()) {
        Some(c) => Some(
            countries::supported(&c)
                .ok_or(OrgError::UnsupportedCountry(c))?
                .to_owned(),
        ),
        None => None,
    };
    if plan.personal {
        if phone.is_none() {
            return Err(OrgError::PhoneRequired(plan.name.clone()));
        }
        if country.is_none() {
            return Err(OrgError::CountryRequired(plan.name.clone()));
        }
    }
    Ok(LegalContact {
        address,
        phone,
        email,
        country,
    })
}

/// Checks a plan change: a lower rank is a downgrade, refused.
pub fn check_plan_change(org: &Org, from: &Plan, to: &Plan) -> Result<(), OrgError> {
    if to.rank < from.rank {
        return Err(OrgError::Downgrade {
            org: org.name.clone(),
            from: from.name.clone(),
            to: to.name.clone(),
        });
    }
    Ok(())
}

/// The catalogue entry for a plan name, or the error listing the known ones.
pub fn known_plan<'p>(plans: &'p Plans, name: &str) -> Result<&'p Plan, OrgError> {
    plans.get(name).ok_or_else(|| OrgError::UnknownPlan {
        plan: name.to_owned(),
        known: plans.names(),
    })
}

/// Most members an organisation on `plan` may have (`None`: no limit).
pub fn member_limit(plan: &Plan) -> Option<i64> {
    plan.personal.then_some(1)
}

/// The membership of an organisation's founder: its first legal owner, with what a legal owner
/// gets by default (both products, every notice).
pub fn founder() -> NewMember {
    default_membership(Role::LegalOwner)
}

/// Validates a new organisation: its name, its plan, its contact details for that plan.
pub fn check_new_org(plans: &Plans, new: &NewOrg) -> Result<NewOrg, OrgError> {
    validate_name(&new.name)?;
    let plan = known_plan(plans, &new.plan)?;
    Ok(NewOrg {
        name: new.name.clone(),
        plan: plan.name.clone(),
        contact: check_contact(plan, &new.contact)?,
    })
}

/// Creates an organisation with `owner` as its legal owner (anyone may start one).
pub fn create(
    store: &dyn Store,
    plans: &Plans,
    owner: &Account,
    new: &NewOrg,
) -> Result<Org, OrgError> {
    let new = check_new_org(plans, new)?;
    Ok(store.create_org(&new, owner.id, &founder())?)
}

/// The organisations whose plan the catalogue lacks (a plan removed from the configuration):
/// every request of their members would fail, so the server refuses to start with any.
pub fn unconfigured(store: &dyn Store, plans: &Plans) -> Result<Vec<Org>, OrgError> {
    Ok(store
        .list_orgs()?
        .into_iter()
        .filter(|o| plans.get(&o.plan).is_none())
        .collect())
}

/// An organisation by id, as `actor` may see it.
pub fn find(store: &dyn Store, actor: Actor<'_>, id: i64) -> Result<(Org, Standing), OrgError> {
    let org = store
        .org(id)?
        .ok_or_else(|| OrgError::NotFound(format!("organisation {id}")))?;
    let standing = standing(store, actor, &org)?;
    Ok((org, standing))
}

/// An organisation by name, as `actor` may see it.
pub fn find_by_name(
    store: &dyn Store,
    actor: Actor<'_>,
    name: &str,
) -> Result<(Org, Standing), OrgError> {
    let org = store
        .org_by_name(name)?
        .ok_or_else(|| OrgError::NotFound(format!("organisation {name}")))?;
    let standing = standing(store, actor, &org)?;
    Ok((org, standing))
}

/// The organisations `actor` sees: all for the operator, its own for an account.
pub fn visible(store: &dyn Store, actor: Actor<'_>) -> Result<Vec<Org>, OrgError> {
    Ok(match actor {
        Actor::Operator => store.list_orgs()?,
        Actor::Account(a) => store.orgs_of(a.id)?.into_iter().map(|(o, _)| o).collect(),
    })
}

/// Replaces the legal contact details: legal owners only, and valid for the organisation's plan.
pub fn set_contact(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    org: &Org,
    contact: &LegalContact,
) -> Result<Org, OrgError> {
    let standing = standing(store, actor, org)?;
    require_legal_owner(&standing, org, "change the legal contact details")?;
    let contact = check_contact(plan_of(plans, org)?, contact)?;
    Ok(store.set_legal_contact(org.id, &contact, standing.authority())?)
}

/// Changes the plan: legal owners only, upgrades only, and a personal plan only for an
/// organisation of one account with a phone number and a supported country.
pub fn set_plan(
    store: &dyn Store,
    plans: &Plans,
    actor: Actor<'_>,
    org: &Org,
    to: &str,
) -> Result<Org, OrgError> {
    let standing = standing(store, actor, org)?;
    require_legal_owner(&standing, org, "change the plan")?;
    let from = plan_of(plans, org)?;
    let to = known_plan(plans, to)?;
    check_plan_change(org, from, to)?;
    check_contact(to, &org.contact)?;
    store
        .set_plan(
            org.id,
            &from.name,
            &to.name,
            member_limit(to),
            standing.authority(),
        )
        .map_err(|e| member_limit_error(org, &to.name, e))
}

/// Turns the store's member-limit refusal for `org` on the plan `plan` into the personal plans'
/// rule, naming both; other store errors keep their meaning.
pub fn member_limit_error(org: &Org, plan: &str, e: StoreError) -> OrgError {
    match e {
        StoreError::MemberLimit(_) => OrgError::PersonalPlanSingleAccount {
            org: org.name.clone(),
            plan: plan.to_owned(),
        },
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(plan: &str) -> Org {
        crate::store::org::fixtures::org(1, plan)
    }

    fn contact(phone: Option<&str>, country: Option<&str>) -> LegalContact {
        LegalContact {
            address: Some("  1 Main Street ".into()),
            phone: phone.map(Into::into),
            email: Some(String::new()),
            country: country.map(Into::into),
        }
    }

    #[test]
    fn names() {
        for ok in ["acme", "Infomaniak Network SA", "équipe 7"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", " acme", "acme ", "a\nb", &"x".repeat(101)] {
            assert_eq!(
                validate_name(bad).unwrap_err().code(),
                "invalid-name",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn contact_details_are_normalised_and_checked() {
        let plans = Plans::builtin();
        let standard = plans.get("ksuite-standard").expect("plan");
        let checked =
            check_contact(standard, &contact(Some("+41 79 123 45 67"), Some("ch"))).expect("valid");
        assert_eq!(checked.address.as_deref(), Some("1 Main Street"));
        assert_eq!(checked.email, None, "empty values are dropped");
        assert_eq!(checked.country.as_deref(), Some("CH"));
        assert!(
            check_contact(standard, &contact(None, None)).is_ok(),
            "optional for kSuite"
        );
        assert_eq!(
            check_contact(standard, &contact(None, Some("CN")))
                .unwrap_err()
                .code(),
            "unsupported-country"
        );
        for bad in [
            "12345",
            "call me",
            "+41 79 123 45 67 89 01 2",
            "++41791234567",
        ] {
            assert_eq!(
                check_contact(standard, &contact(Some(bad), None))
                    .unwrap_err()
                    .code(),
                "invalid-phone",
                "{bad}"
            );
        }
    }

    #[test]
    fn personal_plans_need_a_phone_and_a_supported_country() {
        let plans = Plans::builtin();
        for name in ["my-ksuite", "my-ksuite-plus"] {
            let plan = plans.get(name).expect("plan");
            assert_eq!(
                check_contact(plan, &contact(None, Some("FR")))
                    .unwrap_err()
                    .code(),
                "phone-required"
            );
            assert_eq!(
                check_contact(plan, &contact(Some("+33 6 12 34 56 78"), None))
                    .unwrap_err()
                    .code(),
                "country-required"
            );
            assert_eq!(
                check_contact(plan, &contact(Some("+33 6 12 34 56 78"), Some("BR")))
                    .unwrap_err()
                    .code(),
                "unsupported-country"
            );
            assert!(check_contact(plan, &contact(Some("+33 6 12 34 56 78"), Some("FR"))).is_ok());
            assert_eq!(member_limit(plan), Some(1));
        }
        assert_eq!(member_limit(plans.get("ksuite-pro").expect("plan")), None);
    }

    #[test]
    fn upgrades_only() {
        let plans = Plans::builtin();
        let p = |n: &str| plans.get(n).expect("plan");
        let o = org("ksuite-pro");
        assert!(check_plan_change(&o, p("ksuite-pro"), p("ksuite-enterprise")).is_ok());
        assert!(check_plan_change(&o, p("ksuite-pro"), p("ksuite-pro")).is_ok());
        assert!(check_plan_change(&o, p("my-ksuite"), p("my-ksuite-plus")).is_ok());
        assert!(check_plan_change(&o, p("my-ksuite-plus"), p("ksuite-standard")).is_ok());
        let err = check_plan_change(&o, p("ksuite-pro"), p("ksuite-standard")).unwrap_err();
        assert_eq!(err.code(), "plan-downgrade");
        assert!(
            err.to_string().contains("ksuite-pro") && err.to_string().contains("ksuite-standard")
        );
        assert_eq!(
            known_plan(&plans, "gold").unwrap_err().code(),
            "unknown-plan"
        );
    }
}
