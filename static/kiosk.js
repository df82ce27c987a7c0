// 自助留言机 (lobby kiosk): clears the kiosk between people. Loaded only by the kiosk pages,
// whose policy allows script from this site; every other page runs no script at all.
//
// The page says where to reset to and when, on <body>:
//   data-kiosk-home        the kiosk's form, /kiosk/CODE
//   data-kiosk-idle-ms     on the form: reset after this long without a touch or a key
//   data-kiosk-receipt-ms  on the receipt: reset after this long, counting down on screen
//
// A reset empties every field, then replaces the page with a fresh form: location.replace
// adds no history entry, so Back cannot return to what the last person typed or to their
// receipt. Nothing is stored in the browser (no cookies, no storage) by this script.
(function () {
  'use strict';

  var body = document.body;
  var home = body.getAttribute('data-kiosk-home');
  if (!home) {
    return;
  }
  var idleMS = Number(body.getAttribute('data-kiosk-idle-ms')) || 0;
  var receiptMS = Number(body.getAttribute('data-kiosk-receipt-ms')) || 0;

  // clearFields empties what a person typed or ticked, including the values the server
  // rendered into the page (defaultValue, defaultChecked), so nothing is left to restore.
  function clearFields() {
    var fields = document.querySelectorAll('input, textarea');
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      if (el.type === 'hidden') {
        continue; // the form's token and captcha id: nothing a person typed
      }
      if (el.type === 'radio' || el.type === 'checkbox') {
        el.checked = false;
        el.defaultChecked = false;
      } else {
        el.value = '';
        el.defaultValue = '';
      }
    }
    // A staff member's segment (#16) is what a person chose, as a box they ticked; the unit's
    // list is the kiosk's own and stays.
    var segments = document.querySelectorAll('select[name=segment] option');
    for (var j = 0; j < segments.length; j++) {
      segments[j].selected = j === 0;
      segments[j].defaultSelected = false;
    }
  }

  var resetting = false;

  function reset() {
    if (resetting) {
      return;
    }
    resetting = true;
    clearFields();
    location.replace(home);
  }

  // Back-forward cache: a page restored from memory shows its old state, so start afresh.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) {
      resetting = false;
      reset();
    }
  });
  // Leaving the page (after a submit, too: the form's data has been sent by then) empties it,
  // so that a copy kept in memory holds nothing.
  window.addEventListener('pagehide', clearFields);

  // The “完成” link resets at once, without a history entry.
  var links = document.querySelectorAll('[data-kiosk-reset]');
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener('click', function (event) {
      event.preventDefault();
      reset();
    });
  }

  // One press of 提交 is enough: a second would spend the captcha again and could show the
  // person an error for an opinion that was in fact saved. After 15 s without an answer a
  // press goes through again, so a lost request does not lock the form.
  var forms = document.querySelectorAll('form');
  for (var j = 0; j < forms.length; j++) {
    forms[j].addEventListener('submit', function (event) {
      var sent = Number(this.getAttribute('data-sent')) || 0;
      if (Date.now() - sent < 15000) {
        event.preventDefault();
        return;
      }
      this.setAttribute('data-sent', String(Date.now()));
    });
  }

  if (receiptMS > 0) {
    var countdown = document.getElementById('kiosk-countdown');
    var deadline = Date.now() + receiptMS;
    var tick = function () {
      var left = deadline - Date.now();
      if (countdown) {
        countdown.textContent = String(Math.max(0, Math.ceil(left / 1000)));
      }
      if (left <= 0) {
        reset();
        return;
      }
      setTimeout(tick, Math.min(250, left));
    };
    tick();
  } else if (idleMS > 0) {
    var timer = 0;
    var restart = function () {
      clearTimeout(timer);
      timer = setTimeout(reset, idleMS);
    };
    var events = ['input', 'keydown', 'pointerdown', 'touchstart'];
    for (var k = 0; k < events.length; k++) {
      document.addEventListener(events[k], restart, { capture: true, passive: true });
    }
    restart();
  }
})();
