// Verifies a ledger export (JSON lines) in the browser, by exactly the rules of
// `incorruptible audit verify FILE` (core/audit/chain.py and core/audit/ledger.py): each event's
// hash is the SHA-256 of the previous hash followed by the canonical JSON of its hashed fields,
// which Python writes with json.dumps(sort_keys=True, separators=(",", ":"),
// ensure_ascii=False). Numbers are kept as written and printed again as Python prints them.
"use strict";

(function () {
  const root = document.getElementById("verifier");
  if (!root || !window.crypto || !window.crypto.subtle || !window.TextDecoderStream) {
    return;
  }
  const text = root.dataset;
  const HASHED = [
    "seq", "occurred_at", "secretariat_id", "plan_id", "actor", "action", "entity_type",
    "entity_id", "data",
  ];
  const SHA256 = /^[0-9a-f]{64}$/;
  const STORED = "incorruptible.pinned-head";
  const numbers = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-US" : "es-MX");

  // --- JSON as Python's json.loads reads it, numbers kept as written ---

  class PyNumber {
    constructor(raw, isFloat) {
      this.raw = raw;
      this.isFloat = isFloat;
    }

    // As Python's json.dumps writes the int or float json.loads made of the text.
    dump() {
      return this.isFloat ? floatRepr(Number(this.raw)) : BigInt(this.raw).toString();
    }

    equalsInt(n) {
      return this.isFloat ? Number(this.raw) === n : BigInt(this.raw) === BigInt(n);
    }
  }

  class NotJson extends Error {}

  const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
  const SPACE = /[ \t\n\r]*/y;

  function parse(source) {
    let at = 0;
    function skip() {
      SPACE.lastIndex = at;
      SPACE.exec(source);
      at = SPACE.lastIndex;
    }
    function literal(word, value) {
      if (source.startsWith(word, at)) {
        at += word.length;
        return value;
      }
      throw new NotJson();
    }
    function string() {
      let end = at + 1;
      while (end < source.length && source[end] !== '"') {
        end += source[end] === "\\" ? 2 : 1;
      }
      if (end >= source.length) throw new NotJson();
      const raw = source.slice(at, end + 1);
      at = end + 1;
      try {
        return JSON.parse(raw);
      } catch (error) {
        throw new NotJson();
      }
    }
    // Reads an object's or an array's items, each with `item`, from its opening bracket at `at`
    // past `close`.
    function items(close, item) {
      at += 1;
      skip();
      if (source[at] === close) {
        at += 1;
        return;
      }
      for (;;) {
        item();
        skip();
        if (source[at] === ",") {
          at += 1;
        } else if (source[at] === close) {
          at += 1;
          return;
        } else {
          throw new NotJson();
        }
      }
    }
    function value() {
      skip();
      const c = source[at];
      if (c === "{") {
        const object = new Map();
        items("}", () => {
          skip();
          if (source[at] !== '"') throw new NotJson();
          const key = string();
          skip();
          if (source[at] !== ":") throw new NotJson();
          at += 1;
          object.set(key, value());
        });
        return object;
      }
      if (c === "[") {
        const array = [];
        items("]", () => array.push(value()));
        return array;
      }
      if (c === '"') return string();
      if (c === "t") return literal("true", true);
      if (c === "f") return literal("false", false);
      if (c === "n") return literal("null", null);
      if (c === "N") return literal("NaN", new PyNumber("NaN", true));
      if (c === "I") return literal("Infinity", new PyNumber("Infinity", true));
      if (source.startsWith("-Infinity", at)) return literal("-Infinity", new PyNumber("-Infinity", true));
      NUMBER.lastIndex = at;
      const found = NUMBER.exec(source);
      if (!found) throw new NotJson();
      at = NUMBER.lastIndex;
      return new PyNumber(found[0], found[1] !== undefined || found[2] !== undefined);
    }
    const parsed = value();
    skip();
    if (at !== source.length) throw new NotJson();
    return parsed;
  }

  // --- Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) ---

  // repr() of a float: the shortest digits that read back the same, in exponent form below
  // 1e-4 and from 1e16 on.
  function floatRepr(x) {
    if (Number.isNaN(x)) return "NaN";
    if (x === Infinity) return "Infinity";
    if (x === -Infinity) return "-Infinity";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const sign = x < 0 ? "-" : "";
    const [mantissa, power] = Math.abs(x).toExponential().split("e");
    const digits = mantissa.replace(".", "");
    const exponent = Number(power);
    const point = exponent + 1;
    if (point > 16 || point <= -4) {
      const shown = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
      const size = String(Math.abs(exponent)).padStart(2, "0");
      return sign + shown + "e" + (exponent < 0 ? "-" : "+") + size;
    }
    if (point <= 0) return sign + "0." + "0".repeat(-point) + digits;
    if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length) + ".0";
    return sign + digits.slice(0, point) + "." + digits.slice(point);
  }

  // Python sorts keys by code point; JavaScript's default sort, by UTF-16 unit.
  function byCodePoint(a, b) {
    const left = Array.from(a);
    const right = Array.from(b);
    for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
      const difference = left[i].codePointAt(0) - right[i].codePointAt(0);
      if (difference !== 0) return difference;
    }
    return left.length - right.length;
  }

  // JSON.stringify escapes a string as Python does without ensure_ascii: quote, backslash,
  // \b \f \n \r \t, other control characters as \u00xx, and nothing else.
  function dump(value) {
    if (value === null) return "null";
    if (value === true) return "true";
    if (value === false) return "false";
    if (typeof value === "string") return JSON.stringify(value);
    if (value instanceof PyNumber) return value.dump();
    if (Array.isArray(value)) return "[" + value.map(dump).join(",") + "]";
    const keys = Array.from(value.keys()).sort(byCodePoint);
    return "{" + keys.map((key) => JSON.stringify(key) + ":" + dump(value.get(key))).join(",") + "}";
  }

  function canonical(record) {
    const hashed = new Map(HASHED.map((name) => [name, record.get(name)]));
    return dump(hashed);
  }

  const encoder = new TextEncoder();

  async function digest(previous, record) {
    const bytes = await crypto.subtle.digest("SHA-256", encoder.encode(previous + canonical(record)));
    return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // --- the chain, as core.audit.chain.ChainChecker walks it ---

  function isInt(value, n) {
    if (value === true) return n === 1;
    if (value === false) return n === 0;
    return value instanceof PyNumber && value.equalsInt(n);
  }

  class Checker {
    constructor(pinned) {
      this.expected = 1;
      this.previous = text.genesis;
      this.count = 0;
      this.failure = null;
      this.pinned = pinned;
      this.pinnedAt = null;
    }

    fail(seq, line, reason) {
      this.failure = { seq, line, reason };
      return false;
    }

    async feed(item, line) {
      const seq = item.get("seq");
      if (!isInt(seq, this.expected)) {
        return this.fail(this.expected, line, format(text.missing, { seq: numbers.format(this.expected) }));
      }
      const shown = numbers.format(this.expected);
      if (item.get("prev_hash") !== this.previous) return this.fail(shown, line, text.link);
      const hash = item.get("hash");
      if (item.get("reduced") === true) {
        if (typeof hash !== "string" || !SHA256.test(hash)) return this.fail(shown, line, text.notSha);
      } else if (HASHED.some((name) => !item.has(name))) {
        return this.fail(shown, line, text.lacks);
      } else if (hash !== (await digest(this.previous, item))) {
        return this.fail(shown, line, text.content);
      }
      this.previous = hash;
      if (hash === this.pinned) this.pinnedAt = this.expected;
      this.expected += 1;
      this.count += 1;
      return true;
    }
  }

  // --- reading a file or the site's ledger, line by line, as Python's text files split them ---

  async function* lines(stream) {
    const reader = stream
      .pipeThrough(new TextDecoderStream("utf-8", { fatal: true, ignoreBOM: true }))
      .getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      // A "\r" at the end may be the first half of "\r\n".
      const cut = buffer.endsWith("\r") ? buffer.length - 1 : buffer.length;
      const parts = buffer.slice(0, cut).split(/\r\n|\r|\n/);
      buffer = parts.pop() + buffer.slice(cut);
      yield* parts;
    }
    yield* buffer.split(/\r\n|\r|\n/);
  }

  // What Python's str.strip() removes.
  const BLANK = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  const result = document.getElementById("verify-result");
  const pinnedField = document.getElementById("pinned-head");
  const remember = document.getElementById("remember-head");
  const buttons = root.querySelectorAll("button, input[type=file]");

  function show(kind, messages) {
    result.className = "result " + kind;
    result.replaceChildren(
      ...messages.map((message) => {
        const paragraph = document.createElement("p");
        paragraph.textContent = message;
        return paragraph;
      }),
    );
  }

  function pinnedHead() {
    const value = pinnedField.value.trim().toLowerCase();
    if (remember.checked && SHA256.test(value)) {
      localStorage.setItem(STORED, value);
    } else if (!remember.checked) {
      localStorage.removeItem(STORED);
    }
    return value;
  }

  function pinnedVerdict(checker, pinned) {
    if (!pinned) return [];
    if (!SHA256.test(pinned)) return [text.pinnedInvalid];
    if (checker.pinnedAt === null) return [text.pinnedAbsent];
    if (checker.failure === null && checker.pinnedAt === checker.count) return [text.pinnedHead];
    return [format(text.pinnedEarlier, { seq: numbers.format(checker.pinnedAt) })];
  }

  async function verify(stream) {
    const pinned = pinnedHead();
    const checker = new Checker(pinned);
    let number = 0;
    show("working", [text.working]);
    try {
      for await (const line of lines(stream)) {
        number += 1;
        if (BLANK.test(line)) continue;
        let item;
        try {
          item = parse(line);
        } catch (error) {
          if (!(error instanceof NotJson)) throw error;
          item = null;
        }
        if (!(item instanceof Map)) {
          checker.fail(numbers.format(checker.expected), numbers.format(number),
            format(text.notObject, { line: numbers.format(number) }));
          break;
        }
        if (!(await checker.feed(item, numbers.format(number)))) break;
        if (checker.count % 1000 === 0) {
          show("working", [format(text.progress, { n: numbers.format(checker.count) })]);
        }
      }
    } catch (error) {
      show("broken", [error instanceof TypeError ? text.notText : text.unreadable]);
      return;
    }
    const pinnedMessages = pinnedVerdict(checker, pinned);
    // A pinned head missing from an intact chain means it is not the chain that was pinned.
    const pinnedMissing = SHA256.test(pinned) && checker.pinnedAt === null;
    if (checker.failure === null && checker.count === 0) {
      show("broken", [text.empty]);
    } else if (checker.failure !== null && checker.count === 0) {
      show("broken", [text.notLedger, format(text.broken, checker.failure), ...pinnedMessages]);
    } else if (checker.failure !== null) {
      show("broken", [format(text.broken, checker.failure), ...pinnedMessages]);
    } else {
      const intact = format(text.intact, { n: numbers.format(checker.count), head: checker.previous });
      show(pinnedMissing ? "broken" : "ok", [intact, ...pinnedMessages]);
    }
  }

  const fileInput = document.getElementById("ledger-file");
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    if (file) run(() => Promise.resolve(file.stream()));
  });

  document.getElementById("fetch-ledger").addEventListener("click", () => {
    run(async () => {
      const response = await fetch(text.ledger, { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      return response.body;
    });
  });

  async function run(open) {
    buttons.forEach((button) => { button.disabled = true; });
    try {
      let stream;
      try {
        stream = await open();
      } catch (error) {
        show("broken", [text.fetchFailed]);
        return;
      }
      await verify(stream);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
      // Choosing the same file again checks it again.
      fileInput.value = "";
      result.focus();
    }
  }

  const stored = localStorage.getItem(STORED);
  if (stored) {
    pinnedField.value = stored;
    remember.checked = true;
  }
  remember.addEventListener("change", () => {
    if (!remember.checked) localStorage.removeItem(STORED);
  });
  root.hidden = false;
})();
