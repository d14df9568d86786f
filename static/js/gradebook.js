// Keyboard navigation in the gradebook: arrow keys move between cells (Tab still works).
// Progressive enhancement: the grid is a plain form without this file.
(function () {
  const table = document.querySelector("[data-gradebook]");
  if (!table) return;
  const rows = Array.from(table.tBodies[0].rows);
  const cellAt = (r, c) => rows[r] && rows[r].cells[c];
  table.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    const input = event.target;
    if (!move || !input.classList.contains("grid-input")) return;
    // Inside a text box, left/right keep moving the caret; up/down on a select keep choosing.
    if (input.tagName === "INPUT" && move[1] !== 0) return;
    if (input.tagName === "SELECT" && move[0] !== 0 && !event.altKey) return;
    const td = input.closest("td");
    const target = cellAt(td.parentElement.sectionRowIndex + move[0], td.cellIndex + move[1]);
    const next = target && target.querySelector(".grid-input");
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
})();
