// 复制链接 on the save page (form/save.html): shows the button only where a script can write to
// the clipboard, copies the resume link and says so in the status next to it. Without it, the
// link itself and the 短信/邮件 links still carry it.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy]");
  if (!navigator.clipboard || !navigator.clipboard.writeText) return;
  Array.prototype.forEach.call(buttons, function (button) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(
        function () { if (status) status.textContent = "已复制，可粘贴到备忘录或发给自己"; },
        function () { if (status) status.textContent = "复制未成功，请长按链接手动复制"; }
      );
    });
  });
})();
