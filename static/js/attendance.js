// Progressive enhancement of the marking page (without this file "Everyone present" saves the
// choices made and marks the rest present in one submission, which also works).
// With it, "Everyone present" only fills the rows left without a status with "present", on the
// page: the mentor then changes the exceptions and saves once. Nothing is sent until Save.
const everyone = document.getElementById("everyone_present");
if (everyone) {
  const help = document.getElementById("marking-help");
  if (help && help.dataset.jsText) help.textContent = help.dataset.jsText;
  const live = document.getElementById("marking-live");
  everyone.addEventListener("click", (event) => {
    event.preventDefault();
    let filled = 0;
    document.querySelectorAll(".att-status").forEach((group) => {
      if (group.querySelector("input:checked")) return;
      const present = group.querySelector('input[value="present"]');
      if (present) { present.checked = true; filled += 1; }
    });
    if (live && filled) live.textContent = live.dataset.filled || "";
  });
}
