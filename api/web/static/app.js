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
