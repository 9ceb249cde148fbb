//! The texts of the event editor and the tasks page, in English and French, and dates and
//! times written the way each language writes them.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

use crate::web::dates;
use crate::web::i18n::Lang;

/// Texts of the event editor and the tasks page.
#[derive(Debug)]
pub struct EditorTexts {
    /// Title of the new-event page.
    pub new_event: &'static str,
    /// Title of the edit section of an event.
    pub edit_event: &'static str,
    /// Field: title.
    pub summary: &'static str,
    /// Field: calendar.
    pub calendar: &'static str,
    /// Field: all day.
    pub all_day: &'static str,
    /// Field: start date.
    pub start_date: &'static str,
    /// Field: start time.
    pub start_time: &'static str,
    /// Field: end date.
    pub end_date: &'static str,
    /// Field: end time.
    pub end_time: &'static str,
    /// Field: time zone.
    pub time_zone: &'static str,
    /// Field: location.
    pub location: &'static str,
    /// Field: description.
    pub description: &'static str,
    /// Group: repetition.
    pub repeat: &'static str,
    /// Repeat choices: none, daily, weekly, monthly, yearly, and a rule the form cannot show.
    pub repeat_choices: [&'static str; 6],
    /// Field: every N (interval).
    pub interval: &'static str,
    /// Group: on which weekdays.
    pub on_days: &'static str,
    /// Weekday names, Monday first.
    pub weekdays: [&'static str; 7],
    /// Field: ends.
    pub ends: &'static str,
    /// Ends choices: never, on a date, after a number of times.
    pub ends_choices: [&'static str; 3],
    /// Field: end date of the series.
    pub until: &'static str,
    /// Field: number of times.
    pub count: &'static str,
    /// Field: reminder.
    pub reminder: &'static str,
    /// Reminder choices: none, at start, 5, 15, 30 min, 1 h, 1 day before.
    pub reminder_choices: [&'static str; 7],
    /// Save button.
    pub save: &'static str,
    /// Create button.
    pub create: &'static str,
    /// Delete button.
    pub delete: &'static str,
    /// Confirmation before deleting.
    pub confirm_delete: &'static str,
    /// Move section and button.
    pub move_to: &'static str,
    /// Back to the calendar.
    pub back: &'static str,
    /// Note on a recurring event's form.
    pub whole_series: &'static str,
    /// Note: attendees, overrides and other reminders set elsewhere are kept.
    pub kept_note: &'static str,
    /// The calendar can only be read.
    pub read_only: &'static str,
    /// Heading of the error list.
    pub fix_errors: &'static str,
    /// A title is needed.
    pub err_summary: &'static str,
    /// A date is not valid.
    pub err_date: &'static str,
    /// A time is not valid.
    pub err_time: &'static str,
    /// The end is before the start.
    pub err_end_before_start: &'static str,
    /// The time zone is not known.
    pub err_zone: &'static str,
    /// The interval is not a number from 1 to 999.
    pub err_interval: &'static str,
    /// The count is not a number from 1 to 1000.
    pub err_count: &'static str,
    /// The series end is before its start.
    pub err_until: &'static str,
    /// A choice that is not offered.
    pub err_choice: &'static str,
    /// No calendar can take the new item.
    pub err_calendar: &'static str,
    /// Someone changed the item meanwhile.
    pub conflict: &'static str,
    /// The item is larger than the plan allows.
    pub too_large: &'static str,
    /// The storage quota is full.
    pub quota: &'static str,
    /// Another refusal (followed by the server's reason).
    pub refused: &'static str,
    /// The calendar cannot be changed by the viewer.
    pub forbidden: &'static str,
    /// Status: created.
    pub created: &'static str,
    /// Status: saved.
    pub saved: &'static str,
    /// Status: moved.
    pub moved: &'static str,
    /// Status: deleted (to the trash).
    pub deleted: &'static str,
    /// Link to the trash.
    pub open_trash: &'static str,
    /// Label: when.
    pub when: &'static str,
    /// Label: repeats.
    pub repeats: &'static str,
    /// Tasks page: open tasks.
    pub open_tasks: &'static str,
    /// Tasks page: completed tasks.
    pub completed_tasks: &'static str,
    /// Tasks page: no tasks.
    pub no_tasks: &'static str,
    /// Tasks page: new task.
    pub new_task: &'static str,
    /// Tasks page: edit task.
    pub edit_task: &'static str,
    /// Field: due date.
    pub due_date: &'static str,
    /// Field: due time.
    pub due_time: &'static str,
    /// Field: priority.
    pub priority: &'static str,
    /// Priority choices: none, high, medium, low.
    pub priority_choices: [&'static str; 4],
    /// Field: completed.
    pub completed: &'static str,
    /// Label: due.
    pub due: &'static str,
    /// Marker: overdue.
    pub overdue: &'static str,
    /// Button: mark done.
    pub mark_done: &'static str,
    /// Button: reopen.
    pub reopen: &'static str,
    /// Link: edit.
    pub edit: &'static str,
    /// No calendar accepts tasks.
    pub no_task_calendar: &'static str,
    /// Month names, January first.
    pub months: [&'static str; 12],
    /// Weekday names in dates, Monday first.
    pub day_names: [&'static str; 7],
}

/// English.
pub static EN: EditorTexts = EditorTexts {
    new_event: "New event",
    edit_event: "Edit event",
    summary: "Title",
    calendar: "Calendar",
    all_day: "All day",
    start_date: "Start date",
    start_time: "Start time",
    end_date: "End date",
    end_time: "End time",
    time_zone: "Time zone",
    location: "Location",
    description: "Description",
    repeat: "Repeat",
    repeat_choices: [
        "Does not repeat",
        "Daily",
        "Weekly",
        "Monthly",
        "Yearly",
        "Custom rule (kept as it is)",
    ],
    interval: "Every",
    on_days: "On",
    weekdays: dates::WEEKDAYS_EN,
    ends: "Ends",
    ends_choices: ["Never", "On date", "After a number of times"],
    until: "Last date",
    count: "Number of times",
    reminder: "Reminder",
    reminder_choices: [
        "None",
        "At start",
        "5 minutes before",
        "15 minutes before",
        "30 minutes before",
        "1 hour before",
        "1 day before",
    ],
    save: "Save",
    create: "Create",
    delete: "Delete",
    confirm_delete: "Move this event to the trash?",
    move_to: "Move to calendar",
    back: "Back to the calendar",
    whole_series: "This event repeats: changes apply to the whole series.",
    kept_note: "Guests, changed occurrences and reminders set in other apps are kept.",
    read_only: "You can read this calendar but not change it.",
    fix_errors: "Please correct the following:",
    err_summary: "Enter a title.",
    err_date: "Enter a valid date.",
    err_time: "Enter a valid time (HH:MM).",
    err_end_before_start: "The end is before the start.",
    err_zone: "Choose a time zone from the list.",
    err_interval: "Enter a number from 1 to 999.",
    err_count: "Enter a number from 1 to 1000.",
    err_until: "The last date is before the start.",
    err_choice: "Choose one of the options.",
    err_calendar: "Choose a calendar you can change.",
    conflict: "This item was changed on another device meanwhile. Nothing was saved: reload it to see the current version, then make your change again.",
    too_large: "This item is larger than your plan allows.",
    quota: "Your storage is full: nothing was saved. Empty the trash or delete items first.",
    refused: "The server refused the change:",
    forbidden: "You cannot change this calendar.",
    created: "Created.",
    saved: "Saved.",
    moved: "Moved.",
    deleted: "Moved to the trash.",
    open_trash: "Open the trash",
    when: "When",
    repeats: "Repeats",
    open_tasks: "To do",
    completed_tasks: "Completed",
    no_tasks: "No tasks.",
    new_task: "New task",
    edit_task: "Edit task",
    due_date: "Due date",
    due_time: "Due time",
    priority: "Priority",
    priority_choices: ["None", "High", "Medium", "Low"],
    completed: "Completed",
    due: "Due",
    overdue: "Overdue",
    mark_done: "Mark as done",
    reopen: "Mark as not done",
    edit: "Edit",
    no_task_calendar: "None of your calendars accepts tasks.",
    months: dates::MONTHS_EN,
    day_names: dates::WEEKDAYS_EN,
};

/// French.
pub static FR: EditorTexts = EditorTexts {
    new_event: "Nouvel événement",
    edit_event: "Modifier l'événement",
    summary: "Titre",
    calendar: "Calendrier",
    all_day: "Toute la journée",
    start_date: "Date de début",
    start_time: "Heure de début",
    end_date: "Date de fin",
    end_time: "Heure de fin",
    time_zone: "Fuseau horaire",
    location: "Lieu",
    description: "Description",
    repeat: "Répétition",
    repeat_choices: [
        "Ne se répète pas",
        "Tous les jours",
        "Toutes les semaines",
        "Tous les mois",
        "Tous les ans",
        "Règle personnalisée (conservée telle quelle)",
    ],
    interval: "Tous les",
    on_days: "Le",
    weekdays: dates::WEEKDAYS_FR,
    ends: "Fin",
    ends_choices: ["Jamais", "À une date", "Après un nombre de fois"],
    until: "Dernière date",
    count: "Nombre de fois",
    reminder: "Rappel",
    reminder_choices: [
        "Aucun",
        "Au début",
        "5 minutes avant",
        "15 minutes avant",
        "30 minutes avant",
        "1 heure avant",
        "1 jour avant",
    ],
    save: "Enregistrer",
    create: "Créer",
    delete: "Supprimer",
    confirm_delete: "Mettre cet événement à la corbeille ?",
    move_to: "Déplacer vers le calendrier",
    back: "Retour au calendrier",
    whole_series: "Cet événement se répète : les modifications s'appliquent à toute la série.",
    kept_note: "Les invités, les occurrences modifiées et les rappels définis dans d'autres applications sont conservés.",
    read_only: "Vous pouvez lire ce calendrier mais pas le modifier.",
    fix_errors: "Veuillez corriger les points suivants :",
    err_summary: "Saisissez un titre.",
    err_date: "Saisissez une date valide.",
    err_time: "Saisissez une heure valide (HH:MM).",
    err_end_before_start: "La fin est avant le début.",
    err_zone: "Choisissez un fuseau horaire de la liste.",
    err_interval: "Saisissez un nombre de 1 à 999.",
    err_count: "Saisissez un nombre de 1 à 1000.",
    err_until: "La dernière date est avant le début.",
    err_choice: "Choisissez une des options.",
    err_calendar: "Choisissez un calendrier que vous pouvez modifier.",
    conflict: "Cet élément a été modifié sur un autre appareil entre-temps. Rien n'a été enregistré : rechargez-le pour voir la version actuelle, puis refaites votre modification.",
    too_large: "Cet élément dépasse la taille permise par votre abonnement.",
    quota: "Votre espace de stockage est plein : rien n'a été enregistré. Videz la corbeille ou supprimez des éléments d'abord.",
    refused: "Le serveur a refusé la modification :",
    forbidden: "Vous ne pouvez pas modifier ce calendrier.",
    created: "Créé.",
    saved: "Enregistré.",
    moved: "Déplacé.",
    deleted: "Mis à la corbeille.",
    open_trash: "Ouvrir la corbeille",
    when: "Quand",
    repeats: "Répétition",
    open_tasks: "À faire",
    completed_tasks: "Terminées",
    no_tasks: "Aucune tâche.",
    new_task: "Nouvelle tâche",
    edit_task: "Modifier la tâche",
    due_date: "Échéance",
    due_time: "Heure d'échéance",
    priority: "Priorité",
    priority_choices: ["Aucune", "Haute", "Moyenne", "Basse"],
    completed: "Terminée",
    due: "Échéance",
    overdue: "En retard",
    mark_done: "Marquer comme terminée",
    reopen: "Marquer comme non terminée",
    edit: "Modifier",
    no_task_calendar: "Aucun de vos calendriers n'accepte les tâches.",
    months: dates::MONTHS_FR,
    day_names: dates::WEEKDAYS_FR,
};

/// The texts for `lang`.
pub fn texts(lang: Lang) -> &'static EditorTexts {
    match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    }
}

/// Index of a weekday, Monday first.
pub fn weekday_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

/// A date as `lang` writes it: "Monday 3 March 2025", "lundi 3 mars 2025".
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    let t = texts(lang);
    format!(
        "{} {} {} {}",
        t.day_names[weekday_index(date.weekday())],
        date.day(),
        t.months[date.month0() as usize],
        date.year()
    )
}

/// A time on the 24-hour clock, as both languages show it here: "09:30".
pub fn clock(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        assert_eq!(long_date(Lang::En, d), "Monday 3 March 2025");
        assert_eq!(long_date(Lang::Fr, d), "lundi 3 mars 2025");
        assert_eq!(clock(NaiveTime::from_hms_opt(9, 5, 0).unwrap()), "09:05");
    }
}
