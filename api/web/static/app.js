// The pages' only script (the Content-Security-Policy allows no inline script or handler).
// "Tilbake" links go back in the history; without script they lead to the front page.
document.addEventListener("click", (event) => {
  const back = event.target.closest && event.target.closest("a[data-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// Progress polling for a running match run. Without it, the page refreshes itself (a <noscript>
// meta refresh).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-poll]");
  if (!box) return;
  const bar = document.getElementById("run-progress");
  const percent = document.getElementById("run-percent");
  const message = document.getElementById("run-message");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(response.status);
      const state = await response.json();
      bar.value = state.progress;
      bar.textContent = state.progress + " %";
      percent.textContent = state.progress;
      message.textContent = state.message;
      if (state.status !== "queued" && state.status !== "running") {
        window.location.reload();
        return;
      }
    } catch (error) {
      message.textContent = "Mistet kontakten med serveren; prøver igjen …";
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
});

// Barometer: a follow-up question shows when the question it follows is answered "Ja". Without
// script every question shows (and the server ignores a follow-up whose question was not "Ja").
document.addEventListener("DOMContentLoaded", () => {
  const followUps = document.querySelectorAll("[data-follow-up-of]");
  if (!followUps.length) return;
  const update = () => {
    followUps.forEach((box) => {
      const yes = document.querySelector(`input[name="answers.${box.dataset.followUpOf}"][value="true"]`);
      box.hidden = !(yes && yes.checked);
    });
  };
  document.addEventListener("change", update);
  update();
});

// Choosing a candidate or an employer by name: the list under the field fills as you type, and the
// one picked is remembered. Without script the server finds the name typed (and says so if several match).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-name-search]").forEach((input) => {
    const list = document.getElementById(input.getAttribute("list"));
    const idField = document.getElementById(input.dataset.idField);
    let found = [];
    let timer = null;
    const remember = () => {
      const hit = found.find((f) => f.label === input.value);
      if (idField) idField.value = hit ? hit.id : "";
    };
    input.addEventListener("input", () => {
      remember();
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2) return;
      timer = setTimeout(async () => {
        try {
          const url = input.dataset.nameSearch + "&q=" + encodeURIComponent(text);
          const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
          if (!response.ok) return;
          found = await response.json();
          list.replaceChildren(...found.map((f) => {
            const option = document.createElement("option");
            option.value = f.label;
            return option;
          }));
          remember();
        } catch (error) { /* the server still finds the name on saving */ }
      }, 200);
    });
    input.addEventListener("change", remember);
  });
});

// Presenting a candidate: the preview follows the ticked fields, the text and the employer at once
// (whether the name may be shown depends on the employer). Without script: "Oppdater forhåndsvisningen".
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("presenter-skjema");
  const preview = document.getElementById("forhandsvisning");
  if (!form || !preview) return;
  const named = (preview.dataset.named || "").split(",").filter(Boolean);
  const employerOf = {};
  (form.dataset.vacancyEmployers || "").split(",").filter(Boolean).forEach((pair) => {
    const [vacancy, employer] = pair.split(":");
    employerOf[vacancy] = employer;
  });
  const consent = document.getElementById("samtykke");
  const update = () => {
    form.querySelectorAll("input[name=fields]").forEach((box) => {
      const block = preview.querySelector(`[data-field="${box.value}"]`);
      if (block) block.hidden = !box.checked;
    });
    const summary = form.querySelector("textarea[name=summary]");
    preview.querySelector("[data-summary]").textContent = summary.value.trim() || "(ingen tekst ennå)";
    const vacancySelect = form.querySelector("select[name=vacancy_id]");
    const employerSelect = form.querySelector("select[name=employer_id]");
    const vacancy = vacancySelect.value;
    if (vacancy) employerSelect.value = "";
    employerSelect.disabled = Boolean(vacancy);
    const heading = document.getElementById("forhandsvisning-tittel");
    const chosen = vacancy ? vacancySelect.selectedOptions[0].text.split(" – ").pop()
      : (employerSelect.value ? employerSelect.selectedOptions[0].text : "arbeidsgiveren");
    if (heading) heading.textContent = "Forhåndsvisning: dette ser " + chosen;
    const employer = vacancy ? employerOf[vacancy] : form.querySelector("select[name=employer_id]").value;
    const shown = Boolean(employer) && named.includes(employer);
    preview.querySelector("[data-name-shown]").hidden = !shown;
    preview.querySelector("[data-name-hidden]").hidden = shown;
    consent.textContent = !employer ? consent.dataset.none : shown ? consent.dataset.yes : consent.dataset.no;
    consent.classList.toggle("yes", shown);
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});
// Occupations searched as you type: a field with data-occupations asks the server for occupations
// matching what is typed and offers them in its datalist ("9112 Renholder"). Without script the field
// takes a typed title or a four-digit code.
document.addEventListener("DOMContentLoaded", () => {
  const fields = document.querySelectorAll("input[data-occupations]");
  fields.forEach((field) => {
    const list = document.getElementById(field.getAttribute("list"));
    let timer = null;
    let asked = "";
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = field.value.trim();
        if (text.length < 2 || text === asked || /^\d{4} /.test(text)) return;
        asked = text;
        try {
          const response = await fetch(`${field.dataset.occupations}?q=${encodeURIComponent(text)}`,
                                       { headers: { Accept: "application/json" }, credentials: "same-origin" });
          if (!response.ok) return;
          const found = await response.json();
          list.replaceChildren(...found.map((o) => {
            const option = document.createElement("option");
            option.value = o.value;
            option.label = o.label;
            return option;
          }));
        } catch (error) {
          // offline or logged out: the field still takes what is typed
        }
      }, 150);
    });
  });
});
