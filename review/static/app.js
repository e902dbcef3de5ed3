// modelfacts review: keyboard shortcuts and the selection count. Served by the app itself (CSP: script-src 'self').
(function () {
  'use strict';
  function items() {
    return Array.prototype.slice.call(document.querySelectorAll('section.item'));
  }
  var current = -1;
  function focusItem(i) {
    var list = items();
    if (list.length === 0) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (el) {
      el.classList.remove('current');
    });
    var el = list[current];
    el.classList.add('current');
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'nearest' });
  }
  function here() {
    var list = items();
    return current >= 0 ? list[current] : list[0];
  }
  function submit(form, button) {
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit(button);
    else if (button) button.click();
    else form.submit();
  }
  function updatePicked() {
    var n = document.querySelectorAll('input.pick:checked').length;
    var out = document.getElementById('picked');
    if (out) out.textContent = String(n);
  }
  document.addEventListener('change', function (e) {
    if (e.target && e.target.classList && e.target.classList.contains('pick')) updatePicked();
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
    if (typing) {
      if (e.key === 'Escape') t.blur();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var item = here();
    switch (e.key) {
      case 'j':
        focusItem(current + 1);
        break;
      case 'k':
        focusItem(current - 1);
        break;
      case 'a':
        if (item) {
          // the chosen value's accept button, else the first value's; it submits the item's accept form
          var button = item.querySelector('button.default-accept') || item.querySelector('button.accept');
          if (button) submit(button.form, button);
        }
        break;
      case 'd':
        if (item) submit(item.querySelector('form.act-defer'));
        break;
      case 'r':
        if (item) {
          var sel = item.querySelector('form.act-reject select');
          if (sel) sel.focus();
        }
        break;
      case 'o':
        if (item) {
          var inp = item.querySelector('form.act-override input[name=value]');
          if (inp) inp.focus();
        }
        break;
      case 'x':
        if (item) {
          var box = item.querySelector('input.pick');
          if (box) {
            box.checked = !box.checked;
            updatePicked();
          }
        }
        break;
      case '/':
        var q = document.getElementById('f-q');
        if (q) q.focus();
        break;
      default:
        return;
    }
    e.preventDefault();
  });
  // after an action the page comes back at #c<id>: continue from that item
  document.addEventListener('DOMContentLoaded', function () {
    updatePicked();
    var id = location.hash.replace(/^#c/, '');
    var list = items();
    var at = list.findIndex(function (el) {
      return el.getAttribute('data-conflict') === id;
    });
    if (at >= 0) focusItem(at);
  });
})();
