//! Why the organisation domain refused something: one enum for every rule, each variant with a
//! stable code (what programs match on, e.g. the JSON API's `error`), a message a person can
//! read (its `Display`), and a [`ErrorKind`] from which each front end picks its own status.

use super::access::Product;
use crate::store::StoreError;

/// The class of a refusal; front ends map it to their status codes (HTTP 422/403/404/409/500).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself is unusable (a bad name, an unknown plan, a country outside the list).
    Invalid,
    /// The actor's role does not allow it.
    Forbidden,
    /// What it names does not exist (or is not visible to the actor).
    NotFound,
    /// It contradicts the current state (the last legal owner, a downgrade, a full personal plan).
    Conflict,
    /// The server failed.
    Internal,
}

/// A refused organisation, membership, team or account operation.
#[derive(Debug, thiserror::Error)]
pub enum OrgError {
    /// The login name breaks the rules.
    #[error(
        "invalid login name {0:?}: use 1-64 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit (an e-mail address is not a login name)"
    )]
    InvalidLogin(String),
    /// The password is unusable.
    #[error("password must be 8 to 1024 characters")]
    WeakPassword,
    /// An organisation or team name is unusable.
    #[error(
        "invalid name {0:?}: use 1-100 characters, no control characters, no leading or trailing space"
    )]
    InvalidName(String),
    /// The plan is not in the catalogue.
    #[error("unknown plan {plan:?} (known: {known})")]
    UnknownPlan {
        /// The name given.
        plan: String,
        /// The catalogue's names.
        known: String,
    },
    /// A role name that does not exist.
    #[error("unknown role {0:?} (known: legal-owner, admin, user)")]
    UnknownRole(String),
    /// The country is not an ISO code of the supported list.
    #[error(
        "country {0:?} is not supported: give the ISO 3166 code of a supported country (e.g. FR, CH, DE)"
    )]
    UnsupportedCountry(String),
    /// An e-mail address without the shape of one.
    #[error(
        "e-mail address {0:?} is not valid: use the form name@example.com (at most 254 characters)"
    )]
    InvalidEmail(String),
    /// A free-text field too long or with control characters.
    #[error("{field} must be at most {max} characters on one line, without control characters")]
    InvalidText {
        /// The field, as people call it.
        field: &'static str,
        /// Its maximum length, in characters.
        max: usize,
    },
    /// The phone number is not one.
    #[error(
        "phone number {0:?} is not valid: use digits, optionally starting with + (e.g. +41 79 123 45 67)"
    )]
    InvalidPhone(String),
    /// A personal plan needs a mobile phone number.
    #[error("the personal plan {0} requires a mobile phone number")]
    PhoneRequired(String),
    /// A personal plan needs a country.
    #[error("the personal plan {0} requires a country from the supported list")]
    CountryRequired(String),

    /// Only a legal owner may do this.
    #[error("only a legal owner of {org} may {action}")]
    LegalOwnerOnly {
        /// The organisation.
        org: String,
        /// What was refused, as a verb phrase.
        action: &'static str,
    },
    /// Only legal owners and admins manage members and teams.
    #[error("only legal owners and admins of {0} manage its members and teams")]
    ManagersOnly(String),
    /// An admin tried to name, change or remove a legal owner.
    #[error(
        "admins cannot make anyone legal owner, nor change or remove a legal owner ({0} is one)"
    )]
    LegalOwnerProtected(String),
    /// An admin tried to make someone legal owner.
    #[error("admins cannot make anyone legal owner; ask a legal owner of {0}")]
    CannotNameLegalOwner(String),
    /// A member tried to add an existing account without its consent.
    #[error("{login} joins {org} only by accepting an invitation: invite the account instead")]
    ConsentRequired {
        /// The account.
        login: String,
        /// The organisation.
        org: String,
    },
    /// Someone tried to raise their own role.
    #[error("no one can raise their own role (you are {0})")]
    OwnRoleRaise(&'static str),

    /// The organisation would be left without a legal owner.
    #[error("{0} would be left without a legal owner: name another legal owner first")]
    LastLegalOwner(String),
    /// A plan change to a lower rank.
    #[error("{org} cannot move from {from} down to {to}: plans can be upgraded, not downgraded")]
    Downgrade {
        /// The organisation.
        org: String,
        /// Its plan.
        from: String,
        /// The plan asked for.
        to: String,
    },
    /// A personal plan allows one account per organisation.
    #[error("{org} is on the personal plan {plan}, which allows one account per organisation")]
    PersonalPlanSingleAccount {
        /// The organisation.
        org: String,
        /// Its plan (or the one asked for).
        plan: String,
    },
    /// The account is already a member.
    #[error("{login} is already a member of {org}")]
    AlreadyMember {
        /// The account.
        login: String,
        /// The organisation.
        org: String,
    },
    /// The account already has an invitation to this organisation.
    #[error("{login} already has an invitation to {org}; withdraw it first to offer other terms")]
    AlreadyInvited {
        /// The account.
        login: String,
        /// The organisation.
        org: String,
    },
    /// A product switched off where it gates nothing.
    #[error("{}", not_applicable(*.product, .login, .org))]
    AccessNotApplicable {
        /// The product.
        product: Product,
        /// The member.
        login: String,
        /// The organisation.
        org: String,
    },
    /// A name that must be unique is taken.
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// Plan or contact details given for an organisation that already exists.
    #[error(
        "organisation {0} already exists: the plan and contact details only apply to an organisation being created (change them with org set-plan / set-contact)"
    )]
    ExistingOrganisation(String),
    /// The state the decision was made on changed meanwhile.
    #[error("the organisation changed meanwhile; try again")]
    Changed,

    /// A collection path that does not name a calendar or an address book.
    #[error(
        "{0:?} is not a collection path (not the path of a calendar or an address book): use \
         /dav/calendars/LOGIN/NAME/ or /dav/addressbooks/LOGIN/NAME/ (the /dav/ prefix may be \
         left out)"
    )]
    InvalidPath(String),
    /// A share target that is neither a login nor `team:NAME` / `team:ORG/NAME`.
    #[error(
        "{0:?} names no one to share with: give a login, or team:NAME (team:ORG/NAME) for a team"
    )]
    InvalidShareTarget(String),
    /// A team name several of the owner's organisations have.
    #[error(
        "team {team} is ambiguous: the owner's organisations {} each have one; name it as \
         team:ORG/{team}",
        orgs.join(", ")
    )]
    AmbiguousTeam {
        /// The name given.
        team: String,
        /// The organisations that have a team of that name.
        orgs: Vec<String>,
    },
    /// A sharing request with too many changes.
    #[error(
        "a sharing request may change at most {max} shares, not {asked}: send several requests, or share with a team"
    )]
    TooManyShareChanges {
        /// The number of changes asked for.
        asked: usize,
        /// The most allowed.
        max: usize,
    },
    /// Stopping to share with a person who has the collection through teams only.
    #[error(
        "{login} has this collection through {}, not through a share of their own: stop sharing with the team or take {login} out of it",
        teams.join(", ")
    )]
    SharedThroughTeam {
        /// The person.
        login: String,
        /// The teams, as `team:ORG/NAME`.
        teams: Vec<String>,
    },
    /// An access level that does not exist.
    #[error("unknown access {0:?} (known: read, read-write)")]
    UnknownAccess(String),
    /// A link validity that does not exist.
    #[error("unknown validity {0:?} (known: 7d, 30d, 6m, 1y, unlimited)")]
    UnknownValidity(String),
    /// A generated collection (the organisation directory, the birthday calendar, a
    /// collection shared with the user): never shared nor published.
    #[error(
        "{0} is generated or shared with you, not one of your own collections: it can never be shared or published"
    )]
    NotShareable(String),
    /// Only calendars have public links.
    #[error("{0} is an address book: only calendars can be published")]
    NotACalendar(String),
    /// A collection shared with its own owner.
    #[error("{0} owns this collection already; share it with someone else")]
    SelfShare(String),
    /// The organisation's public links for this month are used up.
    #[error(
        "{org} has created its {limit} public link(s) allowed per month on the {plan} plan; revoking a link does not give it back: wait for next month or upgrade the plan"
    )]
    PublicLinkLimit {
        /// The organisation.
        org: String,
        /// Its plan.
        plan: String,
        /// Links per month.
        limit: u32,
    },
    /// The account belongs to no organisation, whose plan a link would count against.
    #[error("{0} belongs to no organisation, so it cannot publish calendars")]
    NoOrganisation(String),

    /// It does not exist (or the actor may not see it).
    #[error("{0} not found")]
    NotFound(String),
    /// An organisation's plan is missing from the configured catalogue.
    #[error("organisation {org} has plan {plan:?}, which the configuration does not define")]
    UnconfiguredPlan {
        /// The organisation.
        org: String,
        /// Its plan.
        plan: String,
    },
    /// Password hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// The operating system's random number generator failed.
    #[error("no random bytes from the operating system: {0}")]
    Random(String),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl OrgError {
    /// Stable code, for programs (the JSON API's `error` member).
    pub fn code(&self) -> &'static str {
        use OrgError::*;
        match self {
            InvalidLogin(_) => "invalid-login",
            WeakPassword => "weak-password",
            InvalidName(_) => "invalid-name",
            UnknownPlan { .. } => "unknown-plan",
            UnknownRole(_) => "unknown-role",
            UnsupportedCountry(_) => "unsupported-country",
            InvalidPhone(_) => "invalid-phone",
            InvalidEmail(_) => "invalid-email",
            InvalidText { .. } => "invalid-text",
            PhoneRequired(_) => "phone-required",
            CountryRequired(_) => "country-required",
            LegalOwnerOnly { .. } => "legal-owner-only",
            ManagersOnly(_) => "managers-only",
            LegalOwnerProtected(_) => "legal-owner-protected",
            CannotNameLegalOwner(_) => "cannot-name-legal-owner",
            OwnRoleRaise(_) => "own-role-raise",
            ConsentRequired { .. } => "consent-required",
            LastLegalOwner(_) => "last-legal-owner",
            Downgrade { .. } => "plan-downgrade",
            PersonalPlanSingleAccount { .. } => "personal-plan-single-account",
            AlreadyMember { .. } => "already-member",
            AlreadyInvited { .. } => "already-invited",
            AccessNotApplicable { .. } => "access-not-applicable",
            AlreadyExists(_) => "already-exists",
            ExistingOrganisation(_) => "existing-organisation",
            Changed => "changed-meanwhile",
            InvalidPath(_) => "invalid-path",
            InvalidShareTarget(_) => "invalid-sharee",
            AmbiguousTeam { .. } => "ambiguous-team",
            TooManyShareChanges { .. } => "too-many-changes",
            SharedThroughTeam { .. } => "shared-through-team",
            UnknownAccess(_) => "unknown-access",
            UnknownValidity(_) => "unknown-validity",
            NotShareable(_) => "not-shareable",
            NotACalendar(_) => "not-a-calendar",
            SelfShare(_) => "self-share",
            PublicLinkLimit { .. } => "public-link-limit",
            NoOrganisation(_) => "no-organisation",
            NotFound(_) => "not-found",
            UnconfiguredPlan { .. } | Hash(_) | Random(_) | Store(_) => "internal",
        }
    }

    /// The class of the refusal.
    pub fn kind(&self) -> ErrorKind {
        use OrgError::*;
        match self {
            InvalidLogin(_)
            | WeakPassword
            | InvalidName(_)
            | UnknownPlan { .. }
            | UnknownRole(_)
            | UnsupportedCountry(_)
            | InvalidPhone(_)
            | InvalidEmail(_)
            | InvalidText { .. }
            | PhoneRequired(_)
            | CountryRequired(_)
            | InvalidPath(_)
            | InvalidShareTarget(_)
            | AmbiguousTeam { .. }
            | TooManyShareChanges { .. }
            | UnknownAccess(_)
            | UnknownValidity(_)
            | NotShareable(_)
            | NotACalendar(_)
            | SelfShare(_) => ErrorKind::Invalid,
            LegalOwnerOnly { .. }
            | ManagersOnly(_)
            | LegalOwnerProtected(_)
            | CannotNameLegalOwner(_)
            | ConsentRequired { .. }
            | OwnRoleRaise(_) => ErrorKind::Forbidden,
            LastLegalOwner(_)
            | Downgrade { .. }
            | PersonalPlanSingleAccount { .. }
            | AlreadyMember { .. }
            | AlreadyInvited { .. }
            | AccessNotApplicable { .. }
            | AlreadyExists(_)
            | ExistingOrganisation(_)
            | Changed
            | PublicLinkLimit { .. }
            | SharedThroughTeam { .. }
            | NoOrganisation(_) => ErrorKind::Conflict,
            NotFound(_) => ErrorKind::NotFound,
            UnconfiguredPlan { .. } | Hash(_) | Random(_) | Store(_) => ErrorKind::Internal,
        }
    }
}

/// The message of [`OrgError::AccessNotApplicable`]: what the organisation does not serve.
fn not_applicable(product: Product, login: &str, org: &str) -> String {
    match product {
        Product::Calendar => format!(
            "{org} does not govern {login}'s calendars (the first organisation {login} joined \
             does) and shares none with {login}, so calendar access cannot be turned off in \
             {org}: it would change nothing"
        ),
        Product::Contacts => format!(
            "{org} neither governs {login}'s address books, has a directory nor shares an \
             address book with {login}, so contacts access cannot be turned off in {org}: it \
             would change nothing"
        ),
    }
}

impl From<StoreError> for OrgError {
    /// The store's refusals that are domain outcomes keep their meaning; the rest is internal.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => OrgError::NotFound(what),
            StoreError::AlreadyExists(what) => OrgError::AlreadyExists(what),
            StoreError::LastLegalOwner(org) => OrgError::LastLegalOwner(org),
            StoreError::PreconditionFailed => OrgError::Changed,
            other => OrgError::Store(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_refusals_keep_their_meaning() {
        let last: OrgError = StoreError::LastLegalOwner("acme".into()).into();
        assert_eq!(last.code(), "last-legal-owner");
        assert_eq!(last.kind(), ErrorKind::Conflict);
        assert!(last.to_string().contains("acme"));
        let changed: OrgError = StoreError::PreconditionFailed.into();
        assert_eq!(changed.kind(), ErrorKind::Conflict);
        let missing: OrgError = StoreError::NotFound("team x".into()).into();
        assert_eq!(
            (missing.code(), missing.kind()),
            ("not-found", ErrorKind::NotFound)
        );
        let broken: OrgError = StoreError::Backend("disk".into()).into();
        assert_eq!(
            (broken.code(), broken.kind()),
            ("internal", ErrorKind::Internal)
        );
    }

    #[test]
    fn codes_are_distinct() {
        let samples = [
            OrgError::InvalidLogin("x".into()),
            OrgError::WeakPassword,
            OrgError::InvalidName("".into()),
            OrgError::UnknownRole("x".into()),
            OrgError::UnsupportedCountry("XX".into()),
            OrgError::InvalidPhone("x".into()),
            OrgError::InvalidEmail("x".into()),
            OrgError::InvalidText {
                field: "address",
                max: 1,
            },
            OrgError::PhoneRequired("p".into()),
            OrgError::CountryRequired("p".into()),
            OrgError::ManagersOnly("o".into()),
            OrgError::LegalOwnerProtected("l".into()),
            OrgError::CannotNameLegalOwner("o".into()),
            OrgError::OwnRoleRaise("user"),
            OrgError::ConsentRequired {
                login: "l".into(),
                org: "o".into(),
            },
            OrgError::AlreadyInvited {
                login: "l".into(),
                org: "o".into(),
            },
            OrgError::AccessNotApplicable {
                product: Product::Calendar,
                login: "l".into(),
                org: "o".into(),
            },
            OrgError::LastLegalOwner("o".into()),
            OrgError::AlreadyExists("x".into()),
            OrgError::Changed,
            OrgError::NotFound("x".into()),
            OrgError::InvalidPath("x".into()),
            OrgError::InvalidShareTarget("x".into()),
            OrgError::AmbiguousTeam {
                team: "t".into(),
                orgs: vec!["a".into(), "b".into()],
            },
            OrgError::TooManyShareChanges { asked: 2, max: 1 },
            OrgError::SharedThroughTeam {
                login: "l".into(),
                teams: vec!["team:o/t".into()],
            },
            OrgError::UnknownAccess("x".into()),
            OrgError::UnknownValidity("x".into()),
            OrgError::NotShareable("x".into()),
            OrgError::NotACalendar("x".into()),
            OrgError::SelfShare("x".into()),
            OrgError::PublicLinkLimit {
                org: "o".into(),
                plan: "p".into(),
                limit: 1,
            },
            OrgError::NoOrganisation("x".into()),
        ];
        let mut codes: Vec<&str> = samples.iter().map(OrgError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), samples.len());
    }
}
