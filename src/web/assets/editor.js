// Event editor: hide the time fields of an all-day event and the repetition details of an
// event that does not repeat. The form works the same without this script.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("event-form");
  if (!form) return;
  const allDay = form.querySelector("[data-all-day]");
  const repeat = form.querySelector("[data-repeat]");
  const details = form.querySelector(".repeat-details");
  const weekdays = form.querySelector(".weekdays");
  const update = () => {
    if (allDay) form.classList.toggle("all-day", allDay.checked);
    if (repeat && details) details.hidden = repeat.value === "none" || repeat.value === "keep";
    if (repeat && weekdays) weekdays.hidden = repeat.value !== "weekly";
  };
  if (allDay) allDay.addEventListener("change", update);
  if (repeat) repeat.addEventListener("change", update);
  update();
});
