// symptomatic web page: keeps the whole case here, sends it whole to /v1/diagnosis each step.
"use strict";

const WORDS = {
  en: {
    skip: "Skip to content", title: "Symptom checker",
    intro: "What you type goes only to this symptomatic server, which keeps no record of it. This is not a diagnosis.",
    describe_title: "Tell me what is wrong", describe: "Describe your symptoms in your own words",
    placeholder: "For example: I have had a sore throat and a fever since yesterday",
    age: "Age (years)", sex: "Sex", choose: "Choose…", female: "Female", male: "Male",
    start: "Check my symptoms", why: "Why am I asked this?", back: "Back",
    finish: "Show my result now", result: "Your result", likely: "What it could be",
    summary: "In plain words", change: "Change my last answer", restart: "Start again",
    yes: "Yes", no: "No", unknown: "I don't know", none: "None of these", next: "Next",
    question_n: "Question {n}", chance: "about {n} in 10", chance_few: "less than 1 in 10",
    argues_for: "Because of: ", self_care: "What you can do: ", not_understood: "Not understood: ",
    need_text: "Please describe your symptoms.", need_age: "Please give an age from 0 to 120.",
    need_sex: "Please choose female or male.", failed: "Something went wrong: ",
    no_conditions: "No condition I know fits well enough.", working: "Working…",
    scale_low: "0 = none", scale_high: "10 = worst",
  },
  fr: {
    skip: "Aller au contenu", title: "Vérificateur de symptômes",
    intro: "Ce que vous écrivez va seulement à ce serveur symptomatic, qui n'en garde aucune trace. Ce n'est pas un diagnostic.",
    describe_title: "Dites-moi ce qui ne va pas", describe: "Décrivez vos symptômes avec vos mots",
    placeholder: "Par exemple : j'ai mal à la gorge et de la fièvre depuis hier",
    age: "Âge (ans)", sex: "Sexe", choose: "Choisir…", female: "Femme", male: "Homme",
    start: "Vérifier mes symptômes", why: "Pourquoi cette question ?", back: "Retour",
    finish: "Voir mon résultat maintenant", result: "Votre résultat", likely: "Ce que cela pourrait être",
    summary: "En termes simples", change: "Modifier ma dernière réponse", restart: "Recommencer",
    yes: "Oui", no: "Non", unknown: "Je ne sais pas", none: "Aucun de ceux-ci", next: "Suivant",
    question_n: "Question {n}", chance: "environ {n} sur 10", chance_few: "moins de 1 sur 10",
    argues_for: "En raison de : ", self_care: "Ce que vous pouvez faire : ", not_understood: "Pas compris : ",
    need_text: "Décrivez vos symptômes, s'il vous plaît.", need_age: "Indiquez un âge de 0 à 120 ans.",
    need_sex: "Choisissez femme ou homme.", failed: "Un problème est survenu : ",
    no_conditions: "Aucun problème que je connais ne correspond assez.", working: "Un instant…",
    scale_low: "0 = aucune", scale_high: "10 = la pire",
  },
};
const URGENT = new Set(["emergency_ambulance", "emergency"]);

const state = { renders: 0, lang: "en", age: null, sex: null, text: "", steps: [], question: null, last: null };

const $ = (id) => document.getElementById(id);
const t = (key) => WORDS[state.lang][key] || WORDS.en[key] || key;
const el = (tag, attrs = {}, text = "") => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
};

function applyLanguage() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const b of document.querySelectorAll(".lang button")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  }
}

function show(which) {
  for (const id of ["start", "question", "result"]) $(id).hidden = id !== which;
}

function caseBody() {
  const body = { age: state.age, sex: state.sex, lang: state.lang, text: state.text, answers: [] };
  for (const step of state.steps) body.answers.push(...step.findings);
  return body;
}

async function diagnose() {
  const busy = document.querySelectorAll("button");
  busy.forEach((b) => { b.disabled = true; });
  try {
    const res = await fetch("/v1/diagnosis", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(caseBody()),
    });
    const data = await res.json();
    if (!res.ok) {
      const e = (data.errors || [])[0] || {};
      throw new Error(`${e.field || res.status}: ${e.problem || res.statusText}`);
    }
    return data;
  } finally {
    busy.forEach((b) => { b.disabled = false; });
  }
}

function showEmergency(data) {
  const box = $("emergency");
  const urgent = URGENT.has(data.triage.level);
  box.hidden = !urgent;
  if (!urgent) return;
  $("emergency-title").textContent = data.care.title;
  $("emergency-action").textContent = data.care.action;
  $("emergency-reasons").textContent = data.triage.reasons.join(" ");
}

async function step(forceResult = false) {
  let data;
  try {
    data = await diagnose();
  } catch (err) {
    const box = $("start-error");
    box.textContent = t("failed") + err.message;
    box.hidden = false;
    show("start");
    return;
  }
  state.last = data;
  $("start-error").hidden = true;
  $("disclaimer").textContent = data.disclaimer;
  showEmergency(data);
  if (forceResult || data.should_stop || !data.next_question || URGENT.has(data.triage.level)) {
    renderResult(data);
  } else {
    renderQuestion(data.next_question);
  }
}

function answer(findings) {
  state.steps.push({ question: state.question, findings });
  step();
}

function findingsFor(q, value) {
  if (value === "dont_know") return [{ evidence: q.evidence, status: "unknown" }];
  if (q.kind === "binary") return [{ evidence: q.evidence, status: value === "yes" ? "present" : "absent" }];
  return [{ evidence: q.evidence, status: "present", value }];
}

function rendered() {
  state.renders += 1;
  $("main").dataset.step = String(state.renders);
}

function renderQuestion(q) {
  state.question = q;
  show("question");
  $("q-progress").textContent = t("question_n").replace("{n}", String(state.steps.length + 1));
  $("q-text").textContent = q.text;
  $("q-why").textContent = q.why;
  $("q-why-box").hidden = !q.why;
  $("q-why-box").open = false;
  $("back").hidden = state.steps.length === 0;
  const box = $("q-answers");
  box.replaceChildren();
  const button = (c, extra = {}) => {
    const b = el("button", { type: "button", "data-answer": c.value, ...extra }, c.label);
    b.addEventListener("click", () => answer(findingsFor(q, c.value)));
    return b;
  };
  const dontKnow = q.choices.find((c) => c.value === "dont_know");
  const options = q.choices.filter((c) => c.value !== "dont_know");
  if (q.kind === "multi") {
    const fs = el("fieldset");
    fs.appendChild(el("legend", { class: "sr" }, q.text));
    options.forEach((c, i) => {
      const id = `choice-${i}`;
      const lab = el("label", { class: "check", for: id });
      lab.append(el("input", { type: "checkbox", id, value: c.value }), document.createTextNode(c.label));
      fs.appendChild(lab);
    });
    box.appendChild(fs);
    const next = el("button", { type: "button", class: "primary", "data-answer": "next" }, t("next"));
    next.addEventListener("click", () => {
      const picked = [...fs.querySelectorAll("input:checked")].map((i) => i.value);
      answer(picked.length
        ? picked.map((v) => ({ evidence: q.evidence, status: "present", value: v }))
        : [{ evidence: q.evidence, status: "absent" }]);
    });
    const none = el("button", { type: "button", "data-answer": "none" }, t("none"));
    none.addEventListener("click", () => answer([{ evidence: q.evidence, status: "absent" }]));
    box.append(next, none);
  } else {
    for (const c of options) box.appendChild(button(c));
  }
  if (dontKnow) box.appendChild(button(dontKnow));
  rendered();
  $("q-text").focus();
}

function chance(p) {
  const n = Math.round(p * 10);
  return n < 1 ? t("chance_few") : t("chance").replace("{n}", String(n));
}

function renderResult(data) {
  show("result");
  const care = $("care");
  care.className = `banner level-${data.triage.level}`;
  care.dataset.level = data.triage.level;
  $("care-title").textContent = data.care.title;
  $("care-action").textContent = data.care.action;
  const reasons = $("care-reasons");
  reasons.replaceChildren(...data.triage.reasons.map((r) => el("li", {}, r)));
  const se = $("something-else");
  se.hidden = !data.something_else.likely;
  se.textContent = data.something_else.reason;
  const list = $("conditions");
  list.replaceChildren();
  for (const c of data.differential.slice(0, 5)) {
    const li = el("li");
    li.append(el("strong", {}, c.name), document.createTextNode(" — "), el("span", { class: "chance" }, chance(c.probability)));
    if (c.reasons_for.length) {
      li.appendChild(el("p", { class: "why" }, t("argues_for") + c.reasons_for.map((r) => r.label).join(", ")));
    }
    if (data.triage.level === "self_care" && c.about && c.about.self_care.length && c === data.differential[0]) {
      li.appendChild(el("p", { class: "advice" }, t("self_care") + c.about.self_care.join(" ")));
    }
    list.appendChild(li);
  }
  if (!data.differential.length) list.appendChild(el("li", {}, t("no_conditions")));
  $("summary").textContent = data.summary;
  const nu = $("not-understood");
  nu.hidden = !data.not_understood.length;
  nu.textContent = t("not_understood") + data.not_understood.map((s) => `“${s.text}”`).join(", ");
  $("change").hidden = state.steps.length === 0;
  rendered();
  $("r-title").focus();
}

function back() {
  if (!state.steps.length) { show("start"); return; }
  const last = state.steps.pop();
  renderQuestion(last.question);
}

function restart() {
  state.steps = [];
  state.question = null;
  state.last = null;
  $("emergency").hidden = true;
  $("disclaimer").textContent = "";
  show("start");
  $("text").focus();
}

function start(event) {
  event.preventDefault();
  const text = $("text").value.trim();
  const age = Number($("age").value);
  const sex = $("sex").value;
  const err = $("start-error");
  let problem = "";
  if (!text) problem = t("need_text");
  else if ($("age").value === "" || !(age >= 0 && age <= 120)) problem = t("need_age");
  else if (!sex) problem = t("need_sex");
  if (problem) { err.textContent = problem; err.hidden = false; return; }
  err.hidden = true;
  Object.assign(state, { text, age, sex, steps: [], question: null });
  step();
}

function setLanguage(lang) {
  state.lang = lang;
  applyLanguage();
  if (!$("question").hidden || !$("result").hidden) step(!$("result").hidden);
}

document.addEventListener("DOMContentLoaded", () => {
  const preferred = (navigator.language || "en").slice(0, 2);
  state.lang = preferred === "fr" ? "fr" : "en";
  applyLanguage();
  $("start").addEventListener("submit", start);
  $("back").addEventListener("click", back);
  $("change").addEventListener("click", back);
  $("restart").addEventListener("click", restart);
  $("finish").addEventListener("click", () => step(true));
  for (const b of document.querySelectorAll(".lang button")) {
    b.addEventListener("click", () => setLanguage(b.dataset.lang));
  }
});
