// davsuite web view: small progressive enhancements. Every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Buttons that ask before doing something that cannot be undone at once.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    const form = el.closest("form");
    if (!form) return;
    form.addEventListener("submit", (ev) => {
      if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });
});

// Copy buttons: shown only when the script runs; copy their data-copy value.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const label = button.textContent;
      try {
        await navigator.clipboard.writeText(button.getAttribute("data-copy"));
        button.textContent = "✓";
      } catch (_) {
        button.textContent = "✗";
      }
      setTimeout(() => { button.textContent = label; }, 1500);
    });
  });
});
