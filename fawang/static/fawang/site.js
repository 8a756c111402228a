// Small page behaviours, without inline handlers: the Content-Security-Policy allows no inline script.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) { field.form.submit(); }
});
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
});

// Read-aloud in elder mode (R12): the browser's own speech synthesis reads the page's main text
// or an answer ([data-read-aloud="#selector"]); the same button stops it. Where the browser has
// no speech synthesis, or only voices without Chinese, the buttons stay hidden: nothing breaks.
(function () {
  var synth = window.speechSynthesis;
  var buttons = document.querySelectorAll("[data-read-aloud]");
  if (!synth || !window.SpeechSynthesisUtterance || !buttons.length) { return; }
  function chineseVoice() {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^zh|cmn/i.test(voices[i].lang)) { return voices[i]; }
    }
    return null;
  }
  function usable() {
    // An empty list means the voices are still loading: keep the control until we know.
    return !synth.getVoices().length || chineseVoice() !== null;
  }
  function show() {
    buttons.forEach(function (button) { button.hidden = !usable(); });
  }
  function reset() {
    buttons.forEach(function (button) { button.setAttribute("aria-pressed", "false"); });
  }
  show();
  if (synth.addEventListener) { synth.addEventListener("voiceschanged", show); }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-read-aloud]");
    if (!button) { return; }
    var speaking = button.getAttribute("aria-pressed") === "true";
    synth.cancel();
    reset();
    if (speaking) { return; }
    var target = document.querySelector(button.getAttribute("data-read-aloud"));
    if (!target) { return; }
    var text = (target.innerText || "").replace(/\s+/g, " ").trim().slice(0, 4000);
    if (!text) { return; }
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    var voice = chineseVoice();
    if (voice) { utterance.voice = voice; }
    utterance.onend = utterance.onerror = reset;
    button.setAttribute("aria-pressed", "true");
    try { synth.speak(utterance); } catch (error) { reset(); }
  });
})();
