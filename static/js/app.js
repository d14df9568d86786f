// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.querySelectorAll(".js-autosubmit").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
