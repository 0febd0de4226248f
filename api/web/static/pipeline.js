// Candidate pickers (search as you type) and the move form's fields for the chosen step.
// Without this script the pickers are plain text fields: the server looks the typed name up.
(() => {
  const pick = (box) => {
    const input = box.querySelector("input[type=text]");
    const list = box.querySelector(".suggestions");
    const multiple = box.hasAttribute("data-multiple");
    const idName = box.dataset.idName;
    let timer = null;
    let current = 0;
    const close = () => { list.hidden = true; list.innerHTML = ""; input.setAttribute("aria-expanded", "false"); };
    const choose = (item) => {
      clearTimeout(timer);
      current += 1; // an answer still on its way is for text no longer in the field
      if (multiple) {
        const chosen = box.querySelector(".chosen");
        if (!chosen.querySelector(`input[value="${item.id}"]`)) {
          const li = document.createElement("li");
          const hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = idName; hidden.value = item.id;
          const remove = document.createElement("button");
          remove.type = "button"; remove.className = "link"; remove.textContent = "fjern";
          remove.setAttribute("data-remove", "");
          li.append(hidden, document.createTextNode(item.name + " "), remove);
          chosen.append(li);
        }
        input.value = "";
      } else {
        box.querySelector(`input[type=hidden][name="${idName}"]`).value = item.id;
        input.value = item.name;
      }
      close();
    };
    input.addEventListener("input", () => {
      if (!multiple) box.querySelector(`input[type=hidden][name="${idName}"]`).value = "";
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2) { close(); return; }
      timer = setTimeout(async () => {
        const asked = ++current;
        try {
          const response = await fetch(`${box.dataset.suggest}?q=${encodeURIComponent(text)}`,
            { headers: { Accept: "application/json" }, credentials: "same-origin" });
          if (!response.ok || asked !== current) return;
          const items = await response.json();
          list.innerHTML = "";
          if (!items.length) {
            const li = document.createElement("li");
            li.className = "none"; li.textContent = "Ingen treff";
            list.append(li);
          }
          items.forEach((item) => {
            const li = document.createElement("li");
            li.setAttribute("role", "option");
            li.tabIndex = -1;
            li.dataset.id = item.id;
            li.textContent = item.name;
            const meta = document.createElement("span");
            meta.className = "meta"; meta.textContent = item.project;
            li.append(meta);
            li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(item); });
            li.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); choose(item); } });
            list.append(li);
          });
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        } catch (error) { close(); }
      }, 200);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        const first = list.querySelector("[role=option]");
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") { close(); }
    });
    list.addEventListener("keydown", (event) => {
      const item = event.target.closest("[role=option]");
      if (!item) return;
      if (event.key === "ArrowDown" && item.nextElementSibling) { event.preventDefault(); item.nextElementSibling.focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (item.previousElementSibling || input).focus(); }
    });
    input.addEventListener("blur", () => setTimeout(() => { if (!box.contains(document.activeElement)) close(); }, 150));
    box.addEventListener("click", (event) => {
      if (event.target.hasAttribute && event.target.hasAttribute("data-remove")) event.target.closest("li").remove();
    });
  };

  const stages = (form) => {
    const select = form.querySelector("select[name=to]");
    const update = () => form.querySelectorAll("[data-for-stage]").forEach((part) => {
      part.hidden = part.dataset.forStage !== select.value;
    });
    select.addEventListener("change", update);
    update();
  };

  // The board: the hint line and the shadow at each edge with columns beyond it, only while some are.
  const board = (wrap) => {
    const strip = wrap.querySelector(".board");
    const hint = document.getElementById(wrap.dataset.boardHint);
    const update = () => {
      const more = strip.scrollWidth - strip.clientWidth > 1;
      wrap.classList.toggle("more-left", more && strip.scrollLeft > 1);
      wrap.classList.toggle("more-right", more && strip.scrollLeft + strip.clientWidth < strip.scrollWidth - 1);
      if (hint) hint.hidden = !more;
    };
    strip.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    update();
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-board-hint]").forEach(board);
    document.querySelectorAll("[data-picker]").forEach(pick);
    document.querySelectorAll("form[data-move]").forEach(stages);
  });
})();
