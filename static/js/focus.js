// Keeps keyboard focus where the person was when htmx replaces part of a page (moving an agenda item up or
// down, saving a duty): the button that was pressed is swapped out with the old HTML, which would drop focus
// to the top of the page. After the swap the same button of the same form gets focus again, or, when that
// button is gone (an item moved to the top has no "up"), the form's other move button or its first button.
(function () {
  "use strict";
  var pressed = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    pressed = active && active.form
      ? { action: active.form.getAttribute("action"), name: active.name, value: active.value }
      : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (!pressed || (active && active !== document.body)) return;
    var was = pressed;
    pressed = null;
    var form = Array.prototype.find.call(document.querySelectorAll("form[action]"), function (f) {
      return f.getAttribute("action") === was.action;
    });
    if (!form) return;
    var buttons = Array.prototype.slice.call(form.querySelectorAll("button"));
    var target = buttons.find(function (b) { return b.name === was.name && b.value === was.value; })
      || buttons.find(function (b) { return b.value === "up" || b.value === "down"; })
      || buttons[0];
    if (target) target.focus();
  });
})();
