// The gradebook grid with JavaScript: a cell opens its editor in a side panel instead of its own
// page; changes are collected and marked, and "Save changes (N)" posts them all in one request
// to the grid's save (the same fields and original-value check as before: o-, s-, n-, f-).
// Arrow keys move between cells. Without this file every cell links to its own page.
(function () {
  const table = document.querySelector("[data-gradebook]");
  const batch = document.getElementById("gb-batch");
  const editor = document.getElementById("gb-editor");
  if (!table || !batch || !editor || typeof editor.showModal !== "function") return;

  const pending = new Map(); // "E-L" → {status, score, feedback (null: unchanged)}
  const loaded = new Map(); // "E-L" → {feedback, meta} read from the cell's page
  const form = editor.querySelector("form");
  const scoreBox = editor.querySelector("[data-gb-score-box]");
  const scoreInput = document.getElementById("gb-score");
  const feedbackInput = document.getElementById("gb-feedback");
  const errorBox = editor.querySelector("[data-gb-error]");
  const meta = editor.querySelector("[data-gb-meta]");
  const count = batch.querySelector("[data-gb-count]");
  const saveButton = batch.querySelector("[data-gb-save]");
  const discardButton = batch.querySelector("[data-gb-discard]");
  let current = null; // the <td> being edited
  let submitting = false;

  const original = (td) => {
    const [version, status, score] = td.dataset.original.split("|");
    return { version, status, score };
  };
  const tagFor = (status) => {
    const input = editor.querySelector(`input[name="gb-status"][value="${status}"]`);
    return input.closest("label").querySelector(".status").outerHTML;
  };

  function show(td, value) {
    td.querySelector(".gb-cell__tag").innerHTML = tagFor(value.status);
    td.querySelector(".gb-cell__score").textContent = value.score;
    td.dataset.status = value.status;
    td.dataset.score = value.score;
  }

  function remember(td, value) {
    const before = original(td);
    const key = td.dataset.cell;
    if (value.status === before.status && value.score === before.score && value.feedback === null) {
      pending.delete(key);
    } else {
      pending.set(key, value);
    }
    td.classList.toggle("gb-cell--changed", pending.has(key));
    show(td, value);
    count.textContent = pending.size;
    saveButton.disabled = discardButton.disabled = pending.size === 0;
  }

  async function loadCell(td) {
    const key = td.dataset.cell;
    if (loaded.has(key)) return loaded.get(key);
    const response = await fetch(td.querySelector("a").href, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const found = {
      feedback: page.getElementById("feedback").value,
      meta: page.querySelector("[data-gb-meta-source]"),
    };
    loaded.set(key, found);
    return found;
  }

  function open(td) {
    current = td;
    const key = td.dataset.cell;
    const value = pending.get(key) || { status: td.dataset.status, score: td.dataset.score, feedback: null };
    const row = td.closest("tr").querySelector("th");
    const lessonId = key.split("-")[1];
    editor.querySelector("[data-gb-student]").textContent = row.textContent.trim();
    editor.querySelector("[data-gb-lesson]").textContent = document.getElementById(`ls-${lessonId}`).textContent;
    editor.querySelector("[data-gb-full]").href = td.querySelector("a").href;
    form.querySelectorAll('input[name="gb-status"]').forEach((input) => {
      input.checked = input.value === value.status;
    });
    const max = td.dataset.max;
    scoreBox.hidden = !max;
    editor.querySelector("[data-gb-max]").textContent = max ? `(0–${max})` : "";
    scoreInput.value = value.score;
    errorBox.textContent = "";
    scoreInput.removeAttribute("aria-invalid");
    feedbackInput.value = value.feedback === null ? "" : value.feedback;
    feedbackInput.disabled = value.feedback === null;
    feedbackInput.placeholder = value.feedback === null ? editor.dataset.msgLoading : "";
    meta.textContent = "";
    editor.showModal();
    form.querySelector('input[name="gb-status"]:checked').focus();
    loadCell(td).then((found) => {
      if (current !== td) return;
      if (value.feedback === null) {
        feedbackInput.value = found.feedback;
        feedbackInput.disabled = false;
        feedbackInput.placeholder = "";
      }
      meta.replaceChildren(found.meta.cloneNode(true));
    }).catch(() => { feedbackInput.placeholder = ""; });
  }

  function apply(event) {
    event.preventDefault();
    const td = current;
    const score = scoreInput.value.trim();
    const max = td.dataset.max;
    let message = "";
    if (max && score && !/^\d+$/.test(score)) message = editor.dataset.msgNumber;
    else if (max && score && Number(score) > Number(max)) message = editor.dataset.msgRange.replace("{max}", max);
    if (message) {
      errorBox.textContent = message;
      scoreInput.setAttribute("aria-invalid", "true");
      scoreInput.focus();
      return;
    }
    const found = loaded.get(td.dataset.cell);
    const kept = pending.get(td.dataset.cell);
    let feedback = kept ? kept.feedback : null;
    if (!feedbackInput.disabled && found) {
      feedback = feedbackInput.value === found.feedback ? null : feedbackInput.value;
    } else if (!feedbackInput.disabled && kept && kept.feedback !== null) {
      feedback = feedbackInput.value;
    }
    const status = form.querySelector('input[name="gb-status"]:checked').value;
    remember(td, { status, score: max ? score : td.dataset.score, feedback });
    close();
  }

  function close() {
    editor.close();
    if (current) current.querySelector("a").focus();
    current = null;
  }

  table.addEventListener("click", (event) => {
    const link = event.target.closest(".gb-cell__link");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    open(link.closest("td"));
  });
  form.addEventListener("submit", apply);
  editor.querySelector("[data-gb-cancel]").addEventListener("click", close);
  editor.addEventListener("cancel", (event) => { event.preventDefault(); close(); });

  // Arrow keys move between the cells' links.
  const rows = Array.from(table.tBodies[0].rows);
  table.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    const link = event.target.closest(".gb-cell__link");
    if (!move || !link) return;
    const td = link.closest("td");
    const row = rows[td.parentElement.sectionRowIndex + move[0]];
    const next = row && row.cells[td.cellIndex + move[1]];
    const target = next && next.querySelector(".gb-cell__link");
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });

  batch.addEventListener("submit", (event) => {
    if (pending.size === 0) { event.preventDefault(); return; }
    const add = (name, value) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      batch.appendChild(input);
    };
    pending.forEach((value, key) => {
      const td = table.querySelector(`td[data-cell="${key}"]`);
      add(`o-${key}`, td.dataset.original);
      add(`s-${key}`, value.status);
      if (td.dataset.max) add(`n-${key}`, value.score);
      if (value.feedback !== null) add(`f-${key}`, value.feedback);
    });
    submitting = true;
    saveButton.disabled = true;
  });
  discardButton.addEventListener("click", () => {
    pending.forEach((_value, key) => {
      const td = table.querySelector(`td[data-cell="${key}"]`);
      const before = original(td);
      pending.delete(key);
      remember(td, { status: before.status, score: before.score, feedback: null });
    });
  });
  window.addEventListener("beforeunload", (event) => {
    if (pending.size && !submitting) event.preventDefault();
  });

  // After a refused save the page shows what was posted: those cells are still changes.
  table.querySelectorAll("td[data-cell]").forEach((td) => {
    const before = original(td);
    const feedback = td.dataset.feedback === undefined ? null : td.dataset.feedback;
    if (td.dataset.status !== before.status || td.dataset.score !== before.score || feedback !== null) {
      remember(td, { status: td.dataset.status, score: td.dataset.score, feedback });
    }
  });
  batch.hidden = false;
})();
