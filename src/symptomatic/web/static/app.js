// symptomatic web page. It keeps the whole case here and sends it whole to the server on
// every step (the API is stateless). Every word it shows comes from GET /v1/words.
// It talks to its own server only, and never stores what is typed.
"use strict";

// Small places the drawing does not show, by the group of the list under the map.
// (Where things are on a body: layout, not medicine.)
const SMALL = {
  mouth: [
    "upper-lip", "lower-lip", "red-edge-of-the-lips-right-side", "red-edge-of-the-lips-left-side",
    "right-corner-of-the-mouth", "left-corner-of-the-mouth", "roof-of-the-mouth",
    "inside-of-the-right-cheek", "inside-of-the-left-cheek", "top-of-the-tongue",
    "underneath-the-tongue", "upper-teeth-right-side", "upper-teeth-left-side",
    "lower-teeth-right-side", "lower-teeth-left-side", "gums-of-the-upper-teeth",
    "gums-of-the-lower-teeth",
  ],
  neck: [
    "back-of-the-throat", "tonsil-right-side", "tonsil-left-side", "uvula", "windpipe",
    "below-the-jaw",
  ],
  hand: [
    "right-thumb", "index-finger-right-hand", "middle-finger-right-hand", "ring-finger-right-hand",
    "little-finger-right-hand", "left-thumb", "index-finger-left-hand", "middle-finger-left-hand",
    "ring-finger-left-hand", "little-finger-left-hand",
  ],
  foot: [
    "sole-of-the-right-foot", "outer-edge-of-the-right-foot", "right-big-toe",
    "second-toe-next-to-the-big-toe-right-foot", "middle-toe-right-foot",
    "fourth-toe-next-to-the-little-toe-right-foot", "little-toe-right-foot",
    "sole-of-the-left-foot", "outer-edge-of-the-left-foot", "left-big-toe",
    "second-toe-next-to-the-big-toe-left-foot", "middle-toe-left-foot",
    "fourth-toe-next-to-the-little-toe-left-foot", "little-toe-left-foot",
  ],
  private: [
    "outer-lip-of-the-vulva-right-side", "outer-lip-of-the-vulva-left-side",
    "inner-lip-of-the-vulva-right-side", "inner-lip-of-the-vulva-left-side", "clitoris",
    "entrance-of-the-vagina", "hymen", "inside-wall-of-the-vagina",
    "inside-wall-of-the-vagina-right-side", "inside-wall-of-the-vagina-left-side",
    "tip-of-the-penis", "right-testicle", "left-testicle", "urethra",
  ],
};
const GROUPS = ["head", "mouth", "neck", "chest", "back", "belly", "hip", "private", "arm", "hand",
  "leg", "foot", "other"];

const state = {
  renders: 0, lang: "en", words: {}, age: null, sex: null, text: "", steps: [],
  question: null, last: null, understood: [], retry: null, busy: false, svg: null,
  keepNotice: false,
};

const $ = (id) => document.getElementById(id);
const t = (key) => {
  const w = state.words[key];
  return typeof w === "string" ? w : key;
};
const fill = (key, vars) => t(key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
const el = (tag, attrs = {}, text = "") => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
};

// -- talking to the server ------------------------------------------------------------------
class Problem extends Error {
  constructor(kind, detail = {}) {
    super(kind);
    this.kind = kind;
    this.detail = detail;
  }
}

async function api(path, body) {
  let res;
  try {
    res = await fetch(path, body === undefined
      ? { headers: { accept: "application/json" } }
      : {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
  } catch (err) {
    throw new Problem("offline");
  }
  let data = null;
  try {
    data = await res.json();
  } catch (err) {
    data = null;
  }
  if (res.ok && data !== null) return data;
  const first = data && Array.isArray(data.errors) ? data.errors[0] || {} : {};
  if (res.status === 422 && first.field === "lang") throw new Problem("other_language");
  if (res.status === 413 || (first.field === "text" && res.status === 422)) throw new Problem("too_long");
  if (res.status >= 400 && res.status < 500 && data !== null) {
    throw new Problem("bad_input", { field: String(first.field || "") });
  }
  throw new Problem("server");
}

async function loadWords(lang) {
  state.words = await api(`/v1/words?lang=${lang}`);
  state.lang = lang;
}

// -- words on the page ----------------------------------------------------------------------
function applyLanguage(root = document) {
  document.documentElement.lang = state.lang;
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const b of document.querySelectorAll(".lang button")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  }
  document.title = t("page_title");
}

function setDisclaimer(text) {
  $("disclaimer").textContent = text || t("disclaimer");
}

// -- notices: kind words for what cannot work -----------------------------------------------
function hideNotice() {
  $("notice").hidden = true;
  state.retry = null;
}

function notice(kind, { retry = null, list = [], switchTo = null } = {}) {
  const box = $("notice");
  box.dataset.kind = kind;
  $("notice-title").textContent = t(`problem_${kind}_title`);
  $("notice-text").textContent = t(`problem_${kind}`);
  const ul = $("notice-list");
  ul.replaceChildren(...list.map((s) => el("li", {}, s)));
  ul.hidden = !list.length;
  state.retry = retry;
  $("notice-retry").hidden = !retry;
  const sw = $("notice-switch");
  sw.hidden = !switchTo;
  if (switchTo) {
    sw.textContent = switchTo.label;
    sw.lang = switchTo.lang || state.lang;
    sw.onclick = switchTo.action;
  }
  box.hidden = false;
  box.scrollIntoView({ block: "nearest" });
}

function problem(err, retry) {
  const kind = err instanceof Problem ? err.kind : "server";
  if (kind === "offline" || kind === "server") notice(kind, { retry });
  else notice(kind);
}

// -- views ----------------------------------------------------------------------------------
function show(which) {
  for (const id of ["start", "question", "result"]) $(id).hidden = id !== which;
  $("main").dataset.view = which;
}

function rendered() {
  state.renders += 1;
  $("main").dataset.step = String(state.renders);
}

function setBusy(busy) {
  state.busy = busy;
  $("main").setAttribute("aria-busy", String(busy));
  for (const b of document.querySelectorAll("main button")) b.disabled = busy;
}

function caseBody() {
  const body = { age: state.age, sex: state.sex, lang: state.lang, text: state.text, answers: [] };
  for (const s of state.steps) body.answers.push(...s.findings);
  return body;
}

async function step(forceResult = false) {
  const again = () => step(forceResult);
  let data;
  setBusy(true);
  try {
    data = await api("/v1/diagnosis", caseBody());
  } catch (err) {
    setBusy(false);
    problem(err, again);
    return;
  }
  setBusy(false);
  if (state.keepNotice) state.keepNotice = false; // said once, on the first question
  else hideNotice();
  state.last = data;
  setDisclaimer(data.disclaimer);
  if (forceResult || data.should_stop || !data.next_question || data.triage.call_emergency_number) {
    renderResult(data);
  } else {
    renderQuestion(data.next_question);
  }
}

// -- start: read the words first, say early what cannot work --------------------------------
async function start(event) {
  event.preventDefault();
  hideNotice();
  const text = $("text").value.trim();
  const ageText = $("age").value.trim();
  const age = Number(ageText);
  const sex = $("sex").value;
  const err = $("start-error");
  let missing = "";
  let field = null;
  if (!text) [missing, field] = [t("need_text"), "text"];
  else if (ageText === "" || !Number.isFinite(age) || age < 0 || age > 120) [missing, field] = [t("need_age"), "age"];
  else if (!sex) [missing, field] = [t("need_sex"), "sex"];
  for (const id of ["text", "age", "sex"]) $(id).removeAttribute("aria-invalid");
  if (missing) {
    err.textContent = missing;
    err.hidden = false;
    $(field).setAttribute("aria-invalid", "true");
    $(field).focus();
    return;
  }
  err.hidden = true;
  Object.assign(state, { text, age, sex, steps: [], question: null, understood: [] });
  await readText();
}

async function readText() {
  const text = state.text;
  let parsed;
  setBusy(true);
  try {
    parsed = await api("/v1/parse", { text }); // no language given: the server says which
    if (parsed.lang !== state.lang) {
      const here = await api("/v1/parse", { text, lang: state.lang });
      if (here.findings.length >= parsed.findings.length) {
        parsed = here;
      } else {
        const was = state.lang;
        await loadWords(parsed.lang);
        applyLanguage();
        state.keepNotice = true;
        notice("switched", {
          switchTo: { label: t(`keep_${was}`), lang: was, action: () => switchLanguage(was) },
        });
      }
    }
  } catch (err) {
    setBusy(false);
    problem(err, () => readText());
    if (err instanceof Problem && err.kind === "other_language") $("text").focus();
    return;
  }
  setBusy(false);
  if (!parsed.findings.length) {
    const list = parsed.not_understood.map((s) => `“${s.text}”`);
    notice("nothing", { list: list.length ? [fill("not_understood_list", { list: list.join(", ") })] : [] });
    $("text").focus();
    return;
  }
  state.understood = parsed;
  await step();
}

async function switchLanguage(lang) {
  try {
    await loadWords(lang);
  } catch (err) {
    problem(err, () => switchLanguage(lang));
    return;
  }
  applyLanguage();
  hideNotice();
  if (!$("question").hidden || !$("result").hidden) await step(!$("result").hidden);
  else setDisclaimer();
}

// -- one question -----------------------------------------------------------------------------
function answer(findings) {
  if (state.busy) return;
  state.steps.push({ question: state.question, findings });
  step();
}

function statusOf(value) {
  if (value === "dont_know") return "unknown";
  return value === "no" ? "absent" : "present";
}

function understoodLine() {
  const p = state.understood;
  if (!p || !p.findings || state.steps.length) return "";
  const labels = [...new Set(p.findings.map((f) => (f.status === "absent" ? fill("no_thing", { x: f.label }) : (f.value_label || f.label))))];
  let line = fill("understood_line", { list: labels.join(", ") });
  if (p.not_understood.length) {
    line += " " + fill("not_understood_list", { list: p.not_understood.map((s) => `“${s.text}”`).join(", ") });
  }
  return line;
}

function renderQuestion(q, previous = null) {
  state.question = q;
  show("question");
  const more = Math.max(0, q.remaining);
  $("q-progress").textContent = more > 0
    ? fill("progress", { n: q.number, m: more })
    : fill("progress_last", { n: q.number });
  const line = understoodLine();
  $("q-understood").textContent = line;
  $("q-understood").hidden = !line;
  $("q-text").textContent = q.text;
  $("q-why").textContent = q.why;
  $("q-why-box").hidden = !q.why;
  $("q-why-box").open = false;
  $("back").hidden = false;
  const box = $("q-answers");
  box.replaceChildren();
  box.dataset.kind = q.kind;
  // the answer given before, when coming back to a question
  const chosen = new Set((previous || []).map((f) => {
    if (f.status === "unknown") return "dont_know";
    if (f.status === "absent") return f.value ? "" : "no";
    return f.value || "yes";
  }));
  const dontKnow = q.choices.find((c) => c.value === "dont_know");
  const options = q.choices.filter((c) => c.value !== "dont_know");
  const button = (value, label, extra = {}) => {
    const b = el("button", { type: "button", "data-answer": value, ...extra }, label);
    if (chosen.has(value)) b.classList.add("was");
    return b;
  };
  if (q.kind === "binary") {
    for (const [value, key] of [["yes", "yes"], ["no", "no"], ["dont_know", "not_sure"]]) {
      const b = button(value, t(key), { class: value === "dont_know" ? "quiet" : "big" });
      b.addEventListener("click", () => answer([{ evidence: q.evidence, status: statusOf(value) }]));
      box.appendChild(b);
    }
  } else if (q.kind === "multi") {
    renderMulti(q, box, options, chosen);
  } else {
    const group = el("div", { class: q.kind === "scale" ? "scale" : "choices", role: "group", "aria-labelledby": "q-text" });
    for (const c of options) {
      const b = button(c.value, c.label);
      b.addEventListener("click", () => answer([{ evidence: q.evidence, status: "present", value: c.value }]));
      group.appendChild(b);
    }
    box.appendChild(group);
    if (q.kind === "scale") {
      box.appendChild(el("p", { class: "hint" }, `${t("scale_low")} · ${t("scale_high")}`));
    }
    if (dontKnow) {
      const b = button("dont_know", t("not_sure"), { class: "quiet" });
      b.addEventListener("click", () => answer([{ evidence: q.evidence, status: "unknown" }]));
      box.appendChild(b);
    }
  }
  rendered();
  $("q-text").focus();
}

// The server offers only the body parts of the person's sex. The choice that means "none of
// these" (q.default) is the "none" button below, which answers absent.
function renderMulti(q, box, allOptions, chosen) {
  const options = allOptions.filter((c) => c.value !== q.default);
  const picked = new Set([...chosen].filter((v) => options.some((c) => c.value === v)));
  const drawn = state.svg ? new Set([...state.svg.querySelectorAll("[data-region]")].map((r) => r.dataset.region)) : new Set();
  const onMap = options.filter((c) => drawn.has(c.value)).length;
  const useMap = state.svg && onMap >= Math.max(4, options.length / 2);
  let sync = () => {};
  if (useMap) {
    sync = bodyMap(box, options, picked);
  } else {
    const fs = el("fieldset", { class: "checks" });
    fs.appendChild(el("legend", { class: "sr" }, q.text));
    options.forEach((c, i) => {
      const id = `choice-${i}`;
      const lab = el("label", { class: "check", for: id });
      const input = el("input", { type: "checkbox", id, value: c.value });
      input.checked = picked.has(c.value);
      input.addEventListener("change", () => { if (input.checked) picked.add(c.value); else picked.delete(c.value); });
      lab.append(input, document.createTextNode(c.label));
      fs.appendChild(lab);
    });
    box.appendChild(fs);
  }
  sync();
  const row = el("div", { class: "answer-row" });
  const next = el("button", { type: "button", class: "primary", "data-answer": "next" }, t("next"));
  next.addEventListener("click", () => {
    answer(picked.size
      ? [...picked].map((v) => ({ evidence: q.evidence, status: "present", value: v }))
      : [{ evidence: q.evidence, status: "absent" }]);
  });
  const none = el("button", { type: "button", "data-answer": "none" }, t(useMap ? "nowhere" : "none"));
  none.addEventListener("click", () => answer([{ evidence: q.evidence, status: "absent" }]));
  row.append(next, none);
  if (q.choices.some((c) => c.value === "dont_know")) {
    const dk = el("button", { type: "button", class: "quiet", "data-answer": "dont_know" }, t("not_sure"));
    dk.addEventListener("click", () => answer([{ evidence: q.evidence, status: "unknown" }]));
    row.appendChild(dk);
  }
  box.appendChild(row);
}

// -- the body map -----------------------------------------------------------------------------
function groupOf(value) {
  for (const [g, values] of Object.entries(SMALL)) if (values.includes(value)) return g;
  const r = state.svg.querySelector(`[data-region="${CSS.escape(value)}"]`);
  return r ? r.dataset.group : "other";
}

function bodyMap(box, options, picked) {
  const map = $("map-template").content.firstElementChild.cloneNode(true);
  applyLanguage(map);
  const label = new Map(options.map((c) => [c.value, c.label]));
  const svg = state.svg.cloneNode(true);
  map.querySelector(".map-svg").appendChild(svg);
  const pointer = map.querySelector(".map-pointer");
  const pickedBox = map.querySelector(".map-picked");
  const small = map.querySelector(".map-small");
  const listView = map.querySelector(".list-view");
  const mapView = map.querySelector(".map-view");
  const toggle = map.querySelector(".map-toggle");
  const controls = new Map(); // value -> elements that show it

  const register = (value, node) => {
    if (!controls.has(value)) controls.set(value, []);
    controls.get(value).push(node);
  };
  const flip = (value) => {
    if (picked.has(value)) picked.delete(value); else picked.add(value);
    sync();
    const g = groupOf(value);
    if (picked.has(value) && SMALL[g]) {
      const d = small.querySelector(`details[data-group="${g}"]`);
      if (d) d.open = true;
    }
  };

  // regions: only those offered, each a focusable checkbox with the offered label
  for (const r of svg.querySelectorAll("[data-region]")) {
    const value = r.dataset.region;
    if (!label.has(value)) { r.remove(); continue; }
    r.setAttribute("tabindex", "0");
    r.setAttribute("role", "checkbox");
    r.setAttribute("aria-label", label.get(value));
    r.setAttribute("focusable", "true");
    register(value, r);
    r.addEventListener("click", () => flip(value));
    r.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); flip(value); }
    });
    const say = () => { pointer.textContent = label.get(value); };
    r.addEventListener("mouseenter", say);
    r.addEventListener("focus", () => { say(); ring(svg, r); });
    r.addEventListener("blur", () => ring(svg, null));
  }
  svg.querySelector("#figure-front").setAttribute("aria-label", t("map_front"));
  svg.querySelector("#figure-back").setAttribute("aria-label", t("map_back"));
  for (const g of svg.querySelectorAll(".figure")) g.setAttribute("role", "group");
  for (const s of svg.querySelectorAll("[data-i18n]")) s.textContent = t(s.dataset.i18n);

  // places too small to draw: grouped buttons under the map
  const onMap = new Set([...svg.querySelectorAll("[data-region]")].map((r) => r.dataset.region));
  const rest = new Map();
  for (const c of options) {
    if (onMap.has(c.value)) continue;
    const g = SMALL[groupOf(c.value)] ? groupOf(c.value) : "other";
    if (!rest.has(g)) rest.set(g, []);
    rest.get(g).push(c);
  }
  if (rest.size) small.appendChild(el("p", { class: "small-title" }, t("map_small")));
  for (const g of GROUPS) {
    if (!rest.has(g)) continue;
    const d = el("details", { "data-group": g });
    d.appendChild(el("summary", {}, t(`map_group_${g}`)));
    const wrap = el("div", { class: "chips" });
    for (const c of rest.get(g)) wrap.appendChild(chip(c, register, flip));
    d.appendChild(wrap);
    small.appendChild(d);
  }

  // the same choices as a plain list, grouped by part of the body
  const byGroup = new Map();
  for (const c of options) {
    const g = GROUPS.includes(groupOf(c.value)) ? groupOf(c.value) : "other";
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g).push(c);
  }
  let i = 0;
  for (const g of GROUPS) {
    if (!byGroup.has(g)) continue;
    const fs = el("fieldset", { class: "checks" });
    fs.appendChild(el("legend", {}, t(`map_group_${g}`)));
    for (const c of byGroup.get(g)) {
      const id = `place-${i++}`;
      const lab = el("label", { class: "check", for: id });
      const input = el("input", { type: "checkbox", id, value: c.value });
      input.addEventListener("change", () => flip(c.value));
      register(c.value, input);
      lab.append(input, document.createTextNode(c.label));
      fs.appendChild(lab);
    }
    listView.appendChild(fs);
  }

  toggle.addEventListener("click", () => {
    const list = listView.hidden;
    listView.hidden = !list;
    mapView.hidden = list;
    toggle.setAttribute("aria-pressed", String(list));
    toggle.textContent = t(list ? "map_as_map" : "map_as_list");
  });

  function sync() {
    for (const [value, nodes] of controls) {
      const on = picked.has(value);
      for (const n of nodes) {
        if (n.tagName === "INPUT") n.checked = on;
        else if (n.getAttribute("role") === "checkbox") n.setAttribute("aria-checked", String(on));
        else n.setAttribute("aria-pressed", String(on));
        n.classList.toggle("on", on);
      }
    }
    pickedBox.replaceChildren();
    if (!picked.size) {
      pickedBox.appendChild(el("p", { class: "hint" }, t("map_none_yet")));
      return;
    }
    pickedBox.appendChild(el("p", { class: "picked-title" }, t("map_picked")));
    const ul = el("ul", { class: "picked" });
    for (const value of picked) {
      const li = el("li");
      const b = el("button", { type: "button", class: "chip on", "data-remove": value }, label.get(value) || value);
      b.setAttribute("aria-label", fill("map_remove", { place: label.get(value) || value }));
      b.addEventListener("click", () => flip(value));
      li.appendChild(b);
      ul.appendChild(li);
    }
    pickedBox.appendChild(ul);
  }
  box.appendChild(map);
  return sync;
}

function chip(c, register, flip) {
  const b = el("button", { type: "button", class: "chip", "aria-pressed": "false", "data-place": c.value }, c.label);
  b.addEventListener("click", () => flip(c.value));
  register(c.value, b);
  return b;
}

// a focus ring drawn over the focused region (black outside, white inside: seen on any colour)
function ring(svg, region) {
  for (const g of svg.querySelectorAll(".focus-ring")) g.replaceChildren();
  if (!region) return;
  const g = region.closest(".figure").querySelector(".focus-ring");
  for (const cls of ["ring-outer", "ring-inner"]) {
    const shape = region.cloneNode(false);
    for (const a of [...shape.attributes]) {
      if (!["x", "y", "width", "height", "cx", "cy", "rx", "ry", "points", "d"].includes(a.name)) shape.removeAttribute(a.name);
    }
    shape.setAttribute("class", cls);
    g.appendChild(shape);
  }
}

async function loadMap() {
  try {
    const res = await fetch("/static/body.svg");
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.nodeName !== "svg") return;
    state.svg = document.importNode(svg, true);
  } catch (err) {
    state.svg = null; // the plain list is used instead
  }
}

// -- the result -------------------------------------------------------------------------------
function chance(p) {
  const pct = new Intl.NumberFormat(state.lang, { style: "percent", maximumFractionDigits: p < 0.01 ? 1 : 0 }).format(p);
  const n = Math.round(p * 10);
  const words = n < 1 ? t("chance_few") : fill("chance", { n });
  return `${words} (${pct})`;
}

function renderResult(data) {
  show("result");
  const level = data.triage.level;
  const urgent = data.triage.call_emergency_number;
  const care = $("care");
  care.className = `care level-${level}`;
  care.dataset.level = level;
  if (urgent) care.setAttribute("role", "alert"); else care.removeAttribute("role");
  $("care-title").textContent = data.care.title;
  $("care-action").textContent = data.care.action;

  // why this level: each reason once (the "something else" reason is said just below)
  const reasons = data.triage.reasons.filter(
    (r) => !(data.something_else.likely && r === data.something_else.reason));
  const unique = [...new Set(reasons)];
  $("care-reasons").replaceChildren(...unique.map((r) => el("li", {}, r)));
  $("care-why-title").hidden = !unique.length;

  const se = $("something-else");
  se.hidden = !data.something_else.likely;
  se.textContent = data.something_else.reason;
  const list = $("conditions");
  list.replaceChildren();
  for (const c of data.differential.slice(0, 5)) {
    const li = el("li");
    const head = el("p", { class: "cond" });
    head.append(el("strong", {}, c.name), document.createTextNode(" — "), el("span", { class: "chance" }, chance(c.probability)));
    li.appendChild(head);
    if (c.reasons_for.length) {
      li.appendChild(el("p", { class: "why" }, t("argues_for") + c.reasons_for.slice(0, 4).map((r) => r.label).join(", ")));
    }
    li.appendChild(el("p", { class: "code" }, `ICD-10 ${c.icd10}`));
    list.appendChild(li);
  }
  if (!data.differential.length) list.appendChild(el("li", {}, t("no_conditions")));

  // what to do now, and when to get help: the parts of the composed answer. Of its action
  // part, what the care box above does not already say (for a child, an older person,
  // pregnancy); then self-care (at the self-care level only), or while waiting for help.
  const parts = data.sections;
  const said = new Set([data.care.action, ...data.triage.reasons]);
  const todo = parts.action.filter((line) => !said.has(line));
  todo.push(...(urgent ? parts.safety_net : parts.self_care));
  renderLines($("todo"), todo);
  $("todo-block").hidden = !todo.length;
  const help = urgent ? [] : parts.safety_net;
  renderLines($("help"), help);
  $("help-block").hidden = !help.length;

  // what was told, understood and not understood
  $("told-text").textContent = state.text;
  $("told-text").hidden = !state.text;
  const told = $("told");
  told.replaceChildren();
  const byStatus = { present: [], absent: [], unknown: [] };
  for (const f of data.findings) {
    const text = f.value_label ? `${f.label}: ${f.value_label}` : f.label;
    (byStatus[f.status] || byStatus.unknown).push(text);
  }
  for (const [status, key] of [["present", "told_yes"], ["absent", "told_no"], ["unknown", "told_unsure"]]) {
    const items = [...new Set(byStatus[status])];
    if (!items.length) continue;
    told.appendChild(el("h3", {}, t(key)));
    const ul = el("ul", { class: "findings", "data-status": status });
    ul.append(...items.map((s) => el("li", {}, s)));
    told.appendChild(ul);
  }
  const nu = $("not-understood");
  nu.hidden = !data.not_understood.length;
  nu.textContent = fill("not_understood_list", { list: data.not_understood.map((s) => `“${s.text}”`).join(", ") });

  const date = new Intl.DateTimeFormat(state.lang, { dateStyle: "long", timeStyle: "short" }).format(new Date());
  $("print-date").textContent = date;
  $("print-person").textContent = fill("print_person", { age: state.age, sex: t(state.sex) });
  $("change").hidden = state.steps.length === 0;
  rendered();
  $("r-title").focus();
}

// Lines of the composed answer: a line "- item" is an item of the list the line before opens.
function renderLines(box, lines) {
  box.replaceChildren();
  let list = null;
  for (const line of lines) {
    if (line.startsWith("- ")) {
      if (!list) list = box.appendChild(el("ul"));
      list.appendChild(el("li", {}, line.slice(2)));
    } else {
      list = null;
      box.appendChild(el("p", {}, line.trim()));
    }
  }
}

// -- take it to a doctor ----------------------------------------------------------------------
async function downloadFhir() {
  let res;
  setBusy(true);
  try {
    res = await fetch("/v1/export/fhir", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/fhir+json" },
      body: JSON.stringify(caseBody()),
    });
  } catch (err) {
    setBusy(false);
    notice("offline", { retry: downloadFhir });
    return;
  }
  setBusy(false);
  if (!res.ok) { notice("server", { retry: downloadFhir }); return; }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: `symptom-check-${new Date().toISOString().slice(0, 10)}.fhir.json` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// -- moving around ----------------------------------------------------------------------------
function back() {
  hideNotice();
  if (!state.steps.length) { show("start"); $("text").focus(); return; }
  const last = state.steps.pop();
  renderQuestion(last.question, last.findings);
}

function restart() {
  hideNotice();
  Object.assign(state, { steps: [], question: null, last: null, understood: [] });
  setDisclaimer();
  show("start");
  rendered();
  $("text").focus();
}

document.addEventListener("DOMContentLoaded", async () => {
  const preferred = (navigator.language || "en").slice(0, 2) === "fr" ? "fr" : "en";
  $("start").addEventListener("submit", start);
  $("back").addEventListener("click", back);
  $("change").addEventListener("click", back);
  $("restart").addEventListener("click", restart);
  $("q-restart").addEventListener("click", restart);
  $("finish").addEventListener("click", () => step(true));
  $("print").addEventListener("click", () => window.print());
  $("fhir").addEventListener("click", downloadFhir);
  $("notice-retry").addEventListener("click", () => { const r = state.retry; hideNotice(); if (r) r(); });
  for (const b of document.querySelectorAll(".lang button")) {
    b.addEventListener("click", () => switchLanguage(b.dataset.lang));
  }
  await loadMap();
  try {
    await loadWords(preferred);
  } catch (err) {
    $("no-words").hidden = false; // no words from the server: the one bilingual message
    return;
  }
  applyLanguage();
  setDisclaimer();
  document.body.dataset.ready = "true";
});
