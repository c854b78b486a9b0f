// Keyboard support for the log form's actor search, and small confirmations. Everything else is htmx.
(function () {
  "use strict";

  // A date being typed into a filter: the browser sends a change for each digit of the year (0002, 0020, 0202,
  // 2026), and each would redraw the results and say "choose a date between 1900 and 2100" while the user types.
  // Such a change stops here, before the form's htmx hears it (a filter expression in hx-trigger would need eval,
  // which the CSP forbids).
  document.addEventListener(
    "change",
    function (event) {
      const input = event.target;
      if (input instanceof HTMLInputElement && input.type === "date" && /^0/.test(input.value)) {
        event.stopPropagation();
      }
    },
    true,
  );

  // Set when Enter is pressed before the results for the typed text have arrived.
  let pickWhenFound = false;

  function results() {
    return Array.from(document.querySelectorAll("#actor-results button"));
  }

  function typed(search) {
    return search.value.trim().split(/\s+/).join(" ");
  }

  // Results belong to the text typed now, not to an earlier keystroke.
  function resultsAreCurrent(search) {
    const list = document.querySelector("#actor-results [data-query]");
    return Boolean(list) && list.dataset.query === typed(search);
  }

  function resetSearch() {
    const search = document.getElementById("actor-search");
    const list = document.getElementById("actor-results");
    const panel = document.getElementById("new-actor");
    if (list) list.innerHTML = "";
    if (panel) panel.outerHTML = '<div id="new-actor"></div>';
    if (search) {
      search.value = "";
      search.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (target.id === "actor-search") {
      const found = results();
      if (event.key === "Enter") {
        // Enter picks the first match instead of submitting the whole form half-filled.
        event.preventDefault();
        if (found.length && resultsAreCurrent(target)) {
          found[0].click();
        } else if (typed(target)) {
          pickWhenFound = true;
          htmx.trigger(target, "search");
        }
      } else if (event.key === "ArrowDown" && found.length) {
        event.preventDefault();
        found[0].focus();
      } else if (event.key === "Escape") {
        resetSearch();
      }
      return;
    }
    if (target.closest && target.closest("#actor-results")) {
      const found = results();
      const index = found.indexOf(target);
      if (event.key === "ArrowDown" && index < found.length - 1) {
        event.preventDefault();
        found[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (index > 0 ? found[index - 1] : document.getElementById("actor-search")).focus();
      } else if (event.key === "Escape") {
        resetSearch();
      }
      return;
    }
    const panel = target.closest && target.closest("#new-actor");
    if (panel && event.key === "Enter" && target.tagName !== "BUTTON") {
      event.preventDefault();
      panel.querySelector("[data-creates-actor]").click();
    } else if (panel && event.key === "Escape") {
      resetSearch();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-closes-new-actor]")) resetSearch();
  });

  // After settling, when htmx has wired up the new result buttons, so a click does something.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target.id !== "actor-results" || !pickWhenFound) return;
    pickWhenFound = false;
    const search = document.getElementById("actor-search");
    if (resultsAreCurrent(search) && results().length) results()[0].click();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt) return;
    if (event.detail.target.id === "form-dependent" && elt.matches("[data-picks-actor]")) {
      // An actor was added: get ready to find the next one.
      resetSearch();
    } else if (event.detail.target.id === "form-dependent" && elt.matches(".remove")) {
      // The removed row took the focus with it; keep the keyboard user in the form.
      document.getElementById("actor-search").focus();
    } else if (elt.matches("[data-opens-new-actor]")) {
      document.getElementById("actor-results").innerHTML = "";
    }
  });

  // A table or chart wider than the screen scrolls in its own box; the box takes the focus, so the keyboard can scroll
  // it too.
  function focusableWhenScrolling(root) {
    root.querySelectorAll(".table-wrap, .chart, .static-map").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        // A box that takes the focus says what it holds: its table's caption, or the heading just before it.
        const caption = wrap.querySelector("caption");
        const heading = wrap.previousElementSibling;
        const name = caption ? caption.textContent : heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "";
        if (name.trim()) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", name.trim());
        }
      } else {
        // It fits now (a wider window): an ordinary box again.
        wrap.removeAttribute("tabindex");
        if (wrap.getAttribute("role") === "region") {
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableWhenScrolling(document); });
  // An outerHTML swap settles on the element it replaced, no longer in the page: then the whole page is looked at.
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.target;
    focusableWhenScrolling(target && target.isConnected ? target : document);
  });
  window.addEventListener("resize", function () { focusableWhenScrolling(document); });

  // After a refused submit, take keyboard and screen-reader users straight to what needs fixing; after one that
  // worked, to what it says ("… er logget."), which a status region present when the page loads is not read out.
  document.addEventListener("DOMContentLoaded", function () {
    // A box marked data-takes-focus says why nothing happened (a refused file, rows with errors, names like others).
    const summary =
      document.getElementById("conflict") ||
      document.getElementById("form-errors") ||
      document.querySelector("[data-takes-focus]");
    const messages = document.getElementById("messages");
    if (summary) summary.focus();
    // A warning ("you were logged out …") is read before the field that asks for the focus.
    else if (messages && (messages.querySelector(".warning") || !document.querySelector("[autofocus]"))) {
      messages.focus();
    }
  });

  // An error in the summary leads to its field, and into it: the first control of the field takes the focus.
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".error-list a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    const controls = "input:not([type=hidden]), select, textarea, button";
    const control = field && (field.matches(controls) ? field : field.querySelector(controls));
    if (!control) return;
    event.preventDefault();
    field.scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
  });

  // When htmx replaces the part of the page that held the focus (a page link, a form's button), the focus would fall
  // to the top of the page: move it to what the answer says instead - its errors, its message, or its heading.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.xhr) event.detail.xhr.samkortFocus = document.activeElement;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = document.getElementById(event.detail.target.id) || event.detail.target;
    if (!target.isConnected) return;
    const status = target.dataset.status && document.getElementById(target.dataset.status);
    const said = target.querySelector("[data-says-status]");
    if (status && said) status.textContent = said.textContent;
    // Only when the swap took the focused element away: a page loading its charts keeps the reader where they are.
    const had = event.detail.xhr && event.detail.xhr.samkortFocus;
    if (!had || had === document.body || had.isConnected) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    let next = target.querySelector("#form-errors") || target.querySelector("[data-focus-after-swap]");
    if (!next) {
      next = target.querySelector("h2, h3");
      if (next && !next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
    }
    if (next) next.focus();
  });

  // The menu button folds the navigation away on narrow screens.
  function showMenu(button, open) {
    button.setAttribute("aria-expanded", String(open));
    document.getElementById(button.getAttribute("aria-controls")).classList.toggle("open", open);
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest(".menu-button");
    if (button) showMenu(button, button.getAttribute("aria-expanded") !== "true");
  });
  // Escape folds it again and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    const button = document.querySelector(".menu-button[aria-expanded=true]");
    if (event.key !== "Escape" || !button) return;
    showMenu(button, false);
    button.focus();
  });

  // A failed request says so: htmx alone would leave the page as it was, without a word.
  document.addEventListener("htmx:responseError", function (event) {
    showProblem(event.detail.xhr && event.detail.xhr.status >= 500 ? "server" : "refused");
  });
  document.addEventListener("htmx:sendError", function () { showProblem("network"); });

  function showProblem(kind) {
    const box = document.getElementById("request-problem");
    if (!box) return;
    box.querySelectorAll("[data-problem]").forEach(function (line) { line.hidden = line.dataset.problem !== kind; });
    box.hidden = false;
    box.focus();
  }

  document.addEventListener("htmx:beforeRequest", function () {
    const box = document.getElementById("request-problem");
    if (box) box.hidden = true;
  });

  // "Choose all / none" of a fieldset's boxes: one change for the form, so the preview is made once, not per box.
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-choose-all]");
    if (!button) return;
    const boxes = button.closest("fieldset").querySelectorAll("input[type=checkbox]");
    boxes.forEach(function (box) {
      box.checked = button.dataset.chooseAll !== "";
    });
    button.form.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // The language switch returns to the address shown now: htmx may have put filters in it since the page loaded.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.classList || !form.classList.contains("language")) return;
    const next = form.querySelector("input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search;
  });

  // Switching language loads the page again: what was typed into its forms comes back in the new language's page
  // (kept for this tab only, and only for the same address), instead of being lost with the old page.
  const CARRIED = "samkort-typed-across-language";
  function entryForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return form.method.toLowerCase() === "post" && !form.classList.contains("language");
    });
  }
  function typedIn(form) {
    const fields = [];
    // A form sent back with its errors holds the user's typing in its defaults: all of it is carried.
    let changed = form.hasAttribute("data-typed");
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === "hidden" && field.hasAttribute("data-carried")) {
        // The log form's chosen actors: rows the server drew, carried by their ids.
        changed = true;
        fields.push([field.name, field.value, "carried"]);
        return;
      }
      if (!field.name || /^(hidden|submit|button|file|password|reset)$/.test(field.type)) return;
      if (field.type === "checkbox" || field.type === "radio") {
        changed = changed || field.checked !== field.defaultChecked;
        fields.push([field.name, field.value, field.checked]);
      } else if (field.tagName === "SELECT") {
        Array.prototype.forEach.call(field.options, function (option) {
          changed = changed || option.selected !== option.defaultSelected;
          fields.push([field.name, option.value, option.selected]);
        });
      } else {
        changed = changed || field.value !== field.defaultValue;
        fields.push([field.name, field.value, null]);
      }
    });
    return changed ? fields : null;
  }
  document.addEventListener("submit", function (event) {
    if (!event.target.classList || !event.target.classList.contains("language")) return;
    const forms = entryForms().map(typedIn);
    if (!forms.some(Boolean)) return;
    try {
      window.sessionStorage.setItem(CARRIED, JSON.stringify({ address: window.location.pathname, forms: forms }));
    } catch (error) { /* storage full or refused: the switch goes on, as it did before */ }
  });
  function putBack(form, fields) {
    // What the new page has no field for (the chosen actors and their roles) goes back as hidden values into the
    // part the server draws them in, which is then asked to draw them again.
    const rows = form.querySelector("#participant-rows");
    let redraw = false;
    fields.forEach(function (entry) {
      const [name, value, checked] = entry;
      const named = Array.prototype.filter.call(form.elements, function (field) { return field.name === name; });
      if (checked === "carried" || (!named.length && checked === true)) {
        if (!rows) return;
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        hidden.value = value;
        rows.appendChild(hidden);
        redraw = true;
        return;
      }
      named.forEach(function (field) {
        if (field.tagName === "SELECT") {
          Array.prototype.forEach.call(field.options, function (option) {
            if (option.value === value) option.selected = checked;
          });
        } else if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = checked;
        } else if (checked === null && !/^(hidden|submit|button|file|password|reset)$/.test(field.type)) {
          field.value = value;
        }
      });
    });
    const redrawer = form.querySelector("[hx-target='#form-dependent'][hx-trigger='change']");
    // After every handler of the page's loading has run, htmx's own among them.
    if (redraw && redrawer && window.htmx) window.setTimeout(function () { window.htmx.trigger(redrawer, "change"); }, 0);
  }
  function bringBackTyping() {
    let carried = null;
    try {
      carried = JSON.parse(window.sessionStorage.getItem(CARRIED) || "null");
      window.sessionStorage.removeItem(CARRIED);
    } catch (error) { return; }
    if (!carried || carried.address !== window.location.pathname) return;
    const forms = entryForms();
    let back = false;
    carried.forms.forEach(function (fields, index) {
      if (fields && forms[index]) {
        putBack(forms[index], fields);
        back = true;
      }
    });
    const main = document.getElementById("main");
    if (!back || !main || !document.body.dataset.typedBack) return;
    const note = document.createElement("p");
    note.className = "alert info";
    note.setAttribute("role", "status");
    note.textContent = document.body.dataset.typedBack;
    main.insertBefore(note, main.firstChild);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bringBackTyping);
  else bringBackTyping();

  document.addEventListener("submit", function (event) {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Logging in (in another tab, after the session ran out) gives the browser a new CSRF token. A page opened before
  // sends the one the browser holds now, so its form still saves instead of being refused – but only a page made for
  // the user signed in now: another user's page keeps its old token, and is refused (samkort/signed_out.py).
  function cookie(name) {
    const found = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]+)"));
    return found ? decodeURIComponent(found[1]) : null;
  }
  function currentCsrfToken() {
    const page = document.body.dataset;
    if (!page.user || cookie("samkort_user") !== page.user) return null;
    return cookie(page.csrfCookie || "csrftoken");
  }
  document.addEventListener("submit", function (event) {
    const token = currentCsrfToken();
    if (!token) return;
    event.target.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (field) { field.value = token; });
  }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    const token = currentCsrfToken();
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = token;
    // A form's own token field goes with it, and the server reads that before the header.
    if (event.detail.parameters.csrfmiddlewaretoken !== undefined) event.detail.parameters.csrfmiddlewaretoken = token;
  });

  // The note that the session has ended stays clear of the field being typed in (at the top of the window, or at
  // the bottom when the field is up there), and Escape or its close button puts it away.
  document.addEventListener("htmx:afterSwap", function (event) {
    const notice = event.detail.target;
    if (notice.id !== "signed-out") return;
    const typing = document.activeElement;
    const top = typing && typing !== document.body ? typing.getBoundingClientRect().top : window.innerHeight;
    notice.classList.toggle("at-bottom", top < notice.getBoundingClientRect().bottom + 16);
  });
  function closeSignedOut() {
    const notice = document.getElementById("signed-out");
    if (notice) notice.innerHTML = "";
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-closes-signed-out]")) closeSignedOut();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.querySelector("#signed-out .alert")) closeSignedOut();
  });

  // A second click while a save is on its way would send it twice: the button waits for the answer.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post") return;
    const buttons = form.querySelectorAll("button:not([type=button])");
    // After the browser has read the form, so a button's own name and value are still sent.
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
  });

  // A page the browser kept while the user went on (Back) comes back with its buttons working.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  });
})();
