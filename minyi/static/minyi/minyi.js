// Behaviour of the pages, in one static file: the Content-Security-Policy allows
// no inline script or on*= handler, so templates mark elements with data-*
// attributes and this file wires them up.
(function () {
  "use strict";

  // <select data-autosubmit>: submit the form as soon as a value is picked.
  function autosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // <button data-print>: print the page.
  function printButtons(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // <a data-back>: go back one page when there is one to go back to.
  function backLinks(root) {
    root.querySelectorAll("a[data-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (window.history.length > 1) {
          event.preventDefault();
          window.history.back();
        }
      });
    });
  }

  // <span data-count-of="body" data-max="1500">: live count of the body against
  // the limit; the server checks again on submission.
  function bodyCounters(root) {
    root.querySelectorAll("[data-count-of]").forEach(function (out) {
      var max = parseInt(out.getAttribute("data-max"), 10);
      var boxes = document.querySelectorAll("textarea[data-count=" + out.getAttribute("data-count-of") + "]");
      function update() {
        var n = 0;
        boxes.forEach(function (b) { n += b.value.length; });
        out.textContent = n;
        out.classList.toggle("over", n > max);
      }
      boxes.forEach(function (b) { b.addEventListener("input", update); });
      update();
    });
  }

  // <form data-progress-url="…" data-progress-target="#id">: while the form's htmx
  // request runs, poll the progress fragment into the target.
  function progressForms(root) {
    root.querySelectorAll("form[data-progress-url]").forEach(function (form) {
      form.addEventListener("htmx:beforeRequest", function () {
        window.htmx.ajax("GET", form.getAttribute("data-progress-url"), {
          target: form.getAttribute("data-progress-target"),
          swap: "outerHTML",
        });
      });
    });
  }

  // <form data-confirm="…">: ask before a destructive action (decline, return,
  // 未采用, withdraw…); 未采用 also needs its confirmation box on the server. Forms
  // sent by htmx ask through hx-confirm instead, so they are left alone here. One
  // listener on the document, so forms htmx swaps in later ask too.
  function confirmForms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-confirm]") || form.hasAttribute("hx-post")) {
        return;
      }
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
  }

  // <input type="checkbox" data-check-all="name">: tick or untick every box of that name.
  function checkAll(root) {
    root.querySelectorAll("input[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var name = box.getAttribute("data-check-all");
        document.querySelectorAll("input[type=checkbox][name=" + name + "]").forEach(function (b) {
          b.checked = box.checked;
        });
      });
    });
  }

  // <input data-append-to="id" list="…">: a member picked from the suggestions (a value
  // ending in "#id") is added as a line of the text area, and the search box is emptied.
  function memberPickers(root) {
    root.querySelectorAll("input[data-append-to]").forEach(function (input) {
      function take() {
        var value = input.value.trim();
        var area = document.getElementById(input.getAttribute("data-append-to"));
        if (!area || !/#\d+$/.test(value)) return;
        var picked = Array.prototype.some.call(input.list ? input.list.options : [], function (o) {
          return o.value === value;
        });
        if (!picked) return;
        var lines = area.value.split("\n").map(function (l) { return l.trim(); });
        if (lines.indexOf(value) < 0) {
          area.value = (area.value.trim() ? area.value.trim() + "\n" : "") + value;
        }
        input.value = "";
      }
      input.addEventListener("change", take);
      input.addEventListener("input", function (event) {
        if (!event.inputType || event.inputType === "insertReplacementText") take();
      });
      // Enter picks, it does not submit the report form.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); take(); }
      });
    });
  }

  // <button data-requires="box-id">: disabled until the checkbox (已阅读全文) is ticked.
  // Rendered enabled, so the page still works without JS; the server checks the box too.
  function requiredBoxes(root) {
    root.querySelectorAll("[data-requires]").forEach(function (button) {
      var box = document.getElementById(button.getAttribute("data-requires"));
      if (!box) return;
      var sync = function () { button.disabled = !box.checked; };
      box.addEventListener("change", sync);
      sync();
    });
  }

  function wire(root) {
    requiredBoxes(root);
    memberPickers(root);
    checkAll(root);
    autosubmit(root);
    printButtons(root);
    backLinks(root);
    bodyCounters(root);
    progressForms(root);
  }

  confirmForms();
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
})();
