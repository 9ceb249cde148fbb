// Trash page (and every page showing times): the browser's time zone, so the server shows
// times and reads datetime-local values in it. Kept in the davsuite_tz cookie for the next
// page; filled into the forms' hidden `tz` fields for this one.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  let zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  const cookie = "davsuite_tz=" + encodeURIComponent(zone);
  if (!document.cookie.split("; ").includes(cookie)) {
    document.cookie = cookie + "; path=/; max-age=31536000; samesite=lax";
  }
  document.querySelectorAll("input[data-zone-field]").forEach((input) => { input.value = zone; });
});
