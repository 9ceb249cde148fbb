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
