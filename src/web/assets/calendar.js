// Calendar pages: the browser's time zone, calendars shown and hidden at once, the week view
// scrolled to the morning. The pages work without this script (GET form, server defaults).
document.addEventListener("DOMContentLoaded", () => {
  const root = document.querySelector(".cal-page");
  if (!root) return;
  const cookieOptions = "; Path=/web/; Max-Age=31536000; SameSite=Lax";
  const readCookie = (name) => {
    const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return found === undefined ? null : decodeURIComponent(found.slice(name.length + 1));
  };

  // Tell the server the browser's zone once; reload when the page was drawn in another.
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && readCookie("davsuite_tz") !== zone) {
      // The same cookie trash.js keeps (path /), so there is one.
      document.cookie = "davsuite_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
      if (root.dataset.tz !== zone && !new URLSearchParams(location.search).has("tz")) {
        location.reload();
        return;
      }
    }
  } catch (_) {
    // No Intl time zone: the server's default stays.
  }

  // Check boxes apply at once: a hidden calendar's events go away, a shown one reloads;
  // the overlays' controls send the form.
  const form = document.getElementById("cal-visibility");
  if (form) {
    const apply = document.getElementById("cal-apply");
    if (apply) apply.hidden = true;
    form.addEventListener("change", (ev) => {
      const box = ev.target;
      // Birthdays and holidays come from the server: send the form.
      if (box instanceof Element && box.closest(".overlays")) {
        form.submit();
        return;
      }
      if (!(box instanceof HTMLInputElement) || !box.dataset.cal) return;
      const hidden = Array.from(form.querySelectorAll("input[type=checkbox][data-cal]"))
        .filter((b) => !b.checked)
        .map((b) => encodeURIComponent(b.dataset.cal));
      document.cookie = "davsuite_hidden_cals=" + hidden.join("|") + cookieOptions;
      if (box.checked) {
        location.reload();
        return;
      }
      root.querySelectorAll(".cal-main [data-cal]").forEach((el) => {
        if (el.dataset.cal === box.dataset.cal) el.hidden = true;
      });
    });
  }

  // The week view opens on the morning (07:00), not at midnight.
  const scroller = root.querySelector(".wk-scroll");
  const hour = scroller && scroller.querySelector(".wk-hours .hour");
  if (scroller && hour) scroller.scrollTop = hour.offsetHeight * 7;
});
