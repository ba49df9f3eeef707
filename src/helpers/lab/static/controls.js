// The course's controls: plain HTML form controls (radio groups, check boxes, lists, text fields,
// sliders, buttons) drawn by anywidget. Every control carries data-lm-suppress-shortcuts, the
// attribute JupyterLab's command registry honours: while one has the focus no notebook shortcut
// fires, so the keys do what they do in any web form (arrows move the choice in a radio group or a
// list, Space ticks, Enter submits, letters type or jump to an entry). Nothing here loads anything
// from the network; all text is set with textContent, never parsed as HTML.

const SUPPRESS = "data-lm-suppress-shortcuts";
let counter = 0;

function uid(prefix) {
  counter += 1;
  return `csto-${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

function node(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

// A control that keeps the keyboard away from JupyterLab's shortcuts.
function control(tag, attrs = {}, ...children) {
  const el = node(tag, attrs, ...children);
  el.setAttribute(SUPPRESS, "true");
  return el;
}

function labelled(text, field, cls = "csto-field") {
  const id = uid("field");
  field.id = id;
  return node("div", { class: cls }, node("label", { for: id, text }), field);
}

// --- exercise questions -----------------------------------------------------------------------

function choiceGroup(spec, type) {
  const name = uid("group");
  const legend = node("legend", { text: spec.legend });
  const fieldset = node("fieldset", { class: "csto-options" }, legend);
  const inputs = [];
  for (const [key, text] of spec.options) {
    const input = control("input", { type, name, value: key });
    inputs.push(input);
    fieldset.append(node("label", { class: "csto-option" }, input, node("span", { text })));
  }
  return {
    el: fieldset,
    inputs,
    get: () => {
      const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
      return type === "radio" ? (chosen[0] ?? null) : chosen;
    },
    set: (answer) => {
      const wanted = type === "radio" ? [answer] : (answer || []);
      for (const i of inputs) i.checked = wanted.includes(i.value);
    },
  };
}

function select(choices, blank) {
  const el = control("select");
  if (blank !== undefined) el.append(node("option", { value: "", text: blank }));
  for (const [key, text] of choices) el.append(node("option", { value: key, text }));
  return el;
}

function selectRows(spec) {
  // Ordering (one list per position) and matching (one list per left-hand item).
  const fieldset = node("fieldset", { class: "csto-options" }, node("legend", { text: spec.legend }));
  const rows = spec.rows.map(([key, text]) => {
    const list = select(spec.choices, spec.blank);
    list.dataset.row = key;
    fieldset.append(labelled(text, list, "csto-field csto-row"));
    return [key, list];
  });
  return {
    el: fieldset,
    inputs: rows.map(([, list]) => list),
    get: () => {
      if (spec.kind === "ordering") return rows.map(([, list]) => list.value || null);
      return Object.fromEntries(rows.map(([key, list]) => [key, list.value || null]));
    },
    set: (answer) => {
      rows.forEach(([key, list], n) => {
        const value = Array.isArray(answer) ? answer[n] : (answer || {})[key];
        list.value = value ?? "";
      });
    },
  };
}

function textAnswer(spec, onEnter) {
  const multiline = spec.kind === "reflection";
  const field = multiline
    ? control("textarea", { rows: 5, placeholder: spec.placeholder })
    : control("input", { type: "text", placeholder: spec.placeholder, autocomplete: "off" });
  if (!multiline) {
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        onEnter();
      }
    });
  }
  return {
    el: labelled(spec.legend, field),
    inputs: [field],
    get: () => field.value,
    set: (answer) => { field.value = answer ?? ""; },
  };
}

function renderResult(area, result) {
  area.replaceChildren();
  if (!result || !result.verdict) {
    area.hidden = true;
    return;
  }
  area.hidden = false;
  area.className = `csto-feedback csto-tone-${result.tone}`;
  area.append(node("p", {}, node("strong", { text: `${result.verdict} —` }),
    document.createTextNode(` ${result.feedback}`)));
  if (result.source) {
    area.append(node("p", {}, node("em", { text: "Source: " }),
      document.createTextNode(result.source)));
  }
  if (result.attempts) area.append(node("p", { class: "csto-small", text: `Attempts: ${result.attempts}` }));
  if (result.notice) area.append(node("p", { class: "csto-notice", text: result.notice }));
}

function renderQuestion(model, el) {
  const spec = model.get("spec");
  const headingId = uid("heading");
  const section = node("section", { class: "csto-question", "aria-labelledby": headingId,
    "data-question": spec.id },
    node("h4", { id: headingId, text: spec.heading }));
  if (spec.note) section.append(node("p", { class: "csto-note", text: spec.note }));

  const check = () => model.send({ action: "check", answer: answer.get() });
  let answer;
  if (spec.kind === "single") answer = choiceGroup(spec, "radio");
  else if (spec.kind === "multiple") answer = choiceGroup(spec, "checkbox");
  else if (spec.kind === "ordering" || spec.kind === "matching") answer = selectRows(spec);
  else answer = textAnswer(spec, check);
  section.append(answer.el);

  const button = control("button", { type: "button", class: "csto-button csto-primary", text: spec.action });
  button.addEventListener("click", check);
  const buttons = node("div", { class: "csto-buttons" }, button);
  const hint = node("p", { class: "csto-hint", hidden: true });
  let hintButton = null;
  // The hint comes from the kernel when asked for, so it is not in the notebook beforehand.
  const showHint = () => {
    const text = model.get("hint");
    if (!text) return;
    hint.replaceChildren(node("em", { text: "Hint: " }), document.createTextNode(text));
    hint.hidden = false;
    if (hintButton) hintButton.setAttribute("aria-expanded", "true");
  };
  if (spec.has_hint) {
    hintButton = control("button", { type: "button", class: "csto-button", text: "Show hint",
      "aria-expanded": "false" });
    hintButton.addEventListener("click", () => {
      if (model.get("hint")) showHint();
      else model.send({ action: "hint" });
    });
    buttons.append(hintButton);
  }
  const feedback = node("div", { class: "csto-feedback", role: "status", "aria-live": "polite" });
  section.append(buttons, hint, feedback);

  answer.set(model.get("answer"));
  renderResult(feedback, model.get("result"));
  const onAnswer = () => answer.set(model.get("answer"));
  const onResult = () => renderResult(feedback, model.get("result"));
  model.on("change:answer", onAnswer);
  model.on("change:result", onResult);
  model.on("change:hint", showHint);
  showHint();
  el.append(section);
  return () => {
    model.off("change:answer", onAnswer);
    model.off("change:result", onResult);
    model.off("change:hint", showHint);
  };
}

// --- the student-id prompt --------------------------------------------------------------------

function renderStudentId(model, el) {
  const spec = model.get("spec");
  const messageId = uid("message");
  const errorId = uid("error");
  const field = control("input", { type: "text", placeholder: spec.placeholder, autocomplete: "off",
    "aria-describedby": `${messageId} ${errorId}` });
  const button = control("button", { type: "submit", class: "csto-button csto-primary", text: spec.action });
  const error = node("p", { id: errorId, class: "csto-error", role: "alert" });
  const form = node("form", { class: "csto-student-id" },
    node("p", { id: messageId, text: spec.message }),
    node("div", { class: "csto-inline" }, labelled(spec.label, field), button), error);
  const submit = (event) => {
    event.preventDefault();
    model.send({ action: "save-id", value: field.value });
  };
  form.addEventListener("submit", submit);
  // Enter submits the id even where the page stops a form's implicit submission.
  field.addEventListener("keydown", (event) => { if (event.key === "Enter") submit(event); });
  const onError = () => { error.textContent = model.get("error"); };
  onError();
  model.on("change:error", onError);
  el.append(form);
  return () => model.off("change:error", onError);
}

// --- explorer controls ------------------------------------------------------------------------

function renderChoice(model, el) {
  const list = select(model.get("labels").map((text, n) => [String(n), text]));
  list.value = String(model.get("index"));
  list.addEventListener("change", () => {
    model.set("index", Number(list.value));
    model.save_changes();
  });
  const onIndex = () => { list.value = String(model.get("index")); };
  model.on("change:index", onIndex);
  el.append(labelled(model.get("description"), list));
  return () => model.off("change:index", onIndex);
}

function range(model) {
  return control("input", { type: "range", min: model.get("min"), max: model.get("max"),
    step: model.get("step") });
}

function renderSlider(model, el) {
  // One value (a year) or two (from, to); each is a native range input, which the arrow keys,
  // Page Up/Down, Home and End move.
  const pair = Array.isArray(model.get("value"));
  const names = pair ? [`${model.get("description")} from`, `${model.get("description")} to`]
    : [model.get("description")];
  const inputs = names.map(() => range(model));
  const shown = node("output", { class: "csto-value" });
  const values = () => (pair ? model.get("value") : [model.get("value")]);
  const show = () => {
    values().forEach((v, n) => {
      inputs[n].value = String(v);
      inputs[n].setAttribute("aria-valuetext", String(v));
    });
    shown.textContent = values().join("–");
  };
  inputs.forEach((input, n) => {
    input.addEventListener("change", () => {
      let next = inputs.map((i) => Number(i.value));
      if (pair && next[0] > next[1]) next = n === 0 ? [next[0], next[0]] : [next[1], next[1]];
      model.set("value", pair ? next : next[0]);
      model.save_changes();
      show();
    });
    input.addEventListener("input", () => { shown.textContent = inputs.map((i) => i.value).join("–"); });
  });
  const group = node("div", { class: "csto-slider", role: "group" });
  group.setAttribute("aria-label", model.get("description"));
  names.forEach((name, n) => group.append(labelled(name, inputs[n])));
  group.append(shown);
  show();
  model.on("change:value", show);
  el.append(group);
  return () => model.off("change:value", show);
}

const RENDERERS = {
  question: renderQuestion,
  "student-id": renderStudentId,
  choice: renderChoice,
  slider: renderSlider,
};

function render({ model, el }) {
  el.classList.add("csto-control");
  el.setAttribute(SUPPRESS, "true");
  return RENDERERS[model.get("control")](model, el);
}

export default { render };
