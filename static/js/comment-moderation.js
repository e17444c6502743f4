/* The comment list's keyboard shortcuts (templates/admin/comments/comment/change_list.html lists them).

   j and k move the focus to the next and previous row; a, s, t and u press the focused row's Approve, Spam,
   Trash and Unapprove (or Pending) button, which posts the row's form (with its CSRF token) and comes back to
   the list. Back on the list, the live region says what was done and the focus returns to the same place,
   now the next comment. ? goes to the list of shortcuts. Keys typed in a field, or with Ctrl, Alt or Meta,
   are left alone. */
(function () {
  "use strict";

  const STORED = "comment-moderation:done";
  const UNTYPED_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "image", "file", "range", "color"]);

  function isTyping(target) {
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
      return true;
    }
    return target.tagName === "INPUT" && !UNTYPED_INPUTS.has(target.type);
  }

  function rows() {
    return Array.from(document.querySelectorAll("#result_list tbody tr"));
  }

  function currentRow() {
    const active = document.activeElement;
    return active ? active.closest("#result_list tbody tr") : null;
  }

  function focusRow(row) {
    row.tabIndex = -1;
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function announce(status, message) {
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 100);
  }

  function move(step) {
    const all = rows();
    if (!all.length) {
      return;
    }
    const index = all.indexOf(currentRow());
    const next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), all.length - 1);
    focusRow(all[next]);
  }

  function moderate(key, status) {
    const row = currentRow();
    if (!row) {
      announce(status, status.dataset.choose);
      return;
    }
    const button = row.querySelector('.row-buttons [data-shortcut="' + key + '"]');
    if (!button) {
      announce(status, status.dataset.unavailable);
      return;
    }
    const done = document.querySelector('[data-key="' + key + '"]').dataset.shortcutDone;
    const comment = row.querySelector(".row-buttons").dataset.comment;
    const stored = { message: done + ": " + comment, index: rows().indexOf(row) };
    window.sessionStorage.setItem(STORED, JSON.stringify(stored));
    button.click();
  }

  function restore(status) {
    const stored = window.sessionStorage.getItem(STORED);
    if (!stored) {
      return;
    }
    window.sessionStorage.removeItem(STORED);
    const done = JSON.parse(stored);
    const all = rows();
    if (all.length) {
      focusRow(all[Math.min(done.index, all.length - 1)]);
    }
    const problem = document.querySelector(".messagelist .error, .messagelist .warning");
    announce(status, problem ? problem.textContent.trim() : done.message);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const status = document.getElementById("moderation-status");
    const help = document.getElementById("moderation-shortcuts");
    if (!status || !help) {
      return;
    }
    restore(status);
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || isTyping(event.target)) {
        return;
      }
      if (event.key === "j" || event.key === "k") {
        move(event.key === "j" ? 1 : -1);
      } else if (event.key === "?") {
        help.focus();
      } else if (["a", "s", "t", "u"].includes(event.key)) {
        moderate(event.key, status);
      } else {
        return;
      }
      event.preventDefault();
    });
  });
})();
