// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.querySelectorAll(".js-autosubmit").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});

// The header's menus are <details>: they open without this file. With it, the menu folds into one
// button on a narrow screen, and one open group closes the others (and closes on Escape or a
// click elsewhere).
const siteMenu = document.querySelector(".site-menu");
if (siteMenu) {
  const narrow = window.matchMedia("(max-width: 1199.98px)");
  const fold = () => { siteMenu.open = !narrow.matches; };
  fold();
  narrow.addEventListener("change", fold);
}
const groups = Array.from(document.querySelectorAll(".nav-group"));
groups.forEach((group) => {
  group.addEventListener("toggle", () => {
    if (group.open) groups.forEach((other) => { if (other !== group) other.open = false; });
  });
});
document.addEventListener("click", (event) => {
  groups.forEach((group) => { if (group.open && !group.contains(event.target)) group.open = false; });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  groups.filter((group) => group.open).forEach((group) => {
    group.open = false;
    group.querySelector("summary").focus();
  });
});

// Destructive buttons (withdraw, revoke, retire, deactivate) carry data-confirm: ask before sending.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const question = button && button.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
