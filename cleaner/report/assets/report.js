// Renders the cluster list of report.html from the embedded JSON, a page at a time; a cluster's
// members and the side-by-side view are built only when it is opened. No network, no libraries.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const docs = data.docs;
  const clusters = data.clusters;
  const PAGE = 100;
  const $ = (id) => document.getElementById(id);
  const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
  const num = (x) => (x == null ? "" : x.toFixed(2));
  const bySize = clusters.map((_, i) => i); // Python already sorted: largest, then least certain
  const byCertainty = bySize.slice().sort((a, b) => clusters[a].lo - clusters[b].lo || clusters[b].m.length - clusters[a].m.length);
  let shown = bySize;
  let limit = PAGE;
  let haystack = null; // lower-cased ids, titles, sources and texts per cluster, built on the first text search

  const SPLIT = /([ \t\n\r\f\v]+)/;

  function canonical(c) { return docs[c.m[0][0]]; }

  // A member ships as pieces: literal strings and [start, count] runs of its canonical's tokens.
  function textOf(d) {
    if (d.text == null) {
      const base = docs[d.base];
      base.tokens = base.tokens || textOf(base).split(SPLIT);
      d.text = d.delta.map((p) => (typeof p === "string" ? p : base.tokens.slice(p[0], p[0] + p[1]).join(""))).join("");
    }
    return d.text;
  }

  function filter() {
    const q = $("q").value.trim().toLowerCase();
    const source = $("source").value;
    const lo = parseFloat($("lo").value);
    const hi = parseFloat($("hi").value);
    if (q && !haystack) {
      haystack = clusters.map((c) => c.m.map((m) => {
        const d = docs[m[0]];
        return [d.id, d.title || "", d.source || "", textOf(d)].join("\n");
      }).join("\n").toLowerCase());
    }
    const order = $("order").value === "certainty" ? byCertainty : bySize;
    shown = order.filter((i) => {
      const c = clusters[i];
      if (!isNaN(lo) && c.lo < lo - 1e-9) return false;
      if (!isNaN(hi) && c.lo > hi + 1e-9) return false;
      if (source && !c.src.includes(source)) return false;
      return !q || haystack[i].includes(q);
    });
    limit = PAGE;
    render();
  }

  function rowHtml(i, rank) {
    const c = clusters[i];
    const head = canonical(c);
    const dates = c.d0 === c.d1 ? esc(c.d0 || "") : `${esc(c.d0)} – ${esc(c.d1)}`;
    const badges = c.dec.length ? `<span class="badge" title="${esc(c.dec.map((d) => `${d.decision}: ${d.ids.join(" / ")}`).join("\n"))}">✎ ${esc(c.dec.map((d) => d.decision).join(", "))}</span>` : "";
    return `<tr class="cluster" data-i="${i}"><td class="num">${rank + 1}</td>` +
      `<td><button class="open" type="button" aria-expanded="false">${esc(head.title || head.id)}</button>${badges}<div class="meta">${esc(c.id)}</div></td>` +
      `<td class="num">${c.m.length}</td><td>${dates}</td><td>${esc(c.src.join(", "))}</td>` +
      `<td class="num${c.lo < 0.8 ? " low" : ""}">${num(c.lo)}</td></tr>`;
  }

  function render() {
    $("cluster-rows").innerHTML = shown.slice(0, limit).map(rowHtml).join("") ||
      '<tr><td colspan="6">No cluster matches the filter.</td></tr>';
    $("count").textContent = `${shown.length} of ${clusters.length} clusters` + (shown.length > limit ? `, first ${limit} shown` : "");
    $("more").hidden = shown.length <= limit;
  }

  function toggle(row) {
    const next = row.nextElementSibling;
    const button = row.querySelector("button.open");
    if (next && next.classList.contains("detail-row")) {
      next.remove();
      row.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      return;
    }
    const c = clusters[+row.dataset.i];
    const detail = document.createElement("tr");
    detail.className = "detail-row";
    detail.innerHTML = `<td colspan="6" class="detail">${membersHtml(c)}<div class="legend-line">` +
      '<span class="same">shared with the canonical</span> <span class="side-a"><span class="chg">only in the canonical</span></span> ' +
      '<span class="side-b"><span class="chg">only in the member</span></span> <span class="removed">greyed: lines cleaning removed</span></div>' +
      '<div class="diff"></div></td>';
    row.after(detail);
    row.classList.add("open");
    button.setAttribute("aria-expanded", "true");
    if (c.m.length > 1) compare(detail, c, 1);
  }

  function membersHtml(c) {
    const rows = c.m.map((m, k) => {
      const d = docs[m[0]];
      const action = k === 0 ? "canonical" : `<button type="button" class="compare" data-k="${k}">compare</button>`;
      return `<tr data-k="${k}"><td>${action}</td><td>${esc(d.id)}</td><td>${esc(d.source || "")}</td><td>${esc(d.date || "")}</td>` +
        `<td>${esc(d.title || "")}</td><td class="num">${num(m[3])}</td><td>${esc(m[4] || "")}</td>` +
        `<td class="num">${num(m[1])}</td><td class="num">${num(m[2])}</td></tr>`;
    }).join("");
    const decisions = c.dec.length ? `<p class="meta">Review decisions: ${esc(c.dec.map((d) => `${d.decision} ${d.ids.join(" / ")}`).join("; "))}</p>` : "";
    return `${decisions}<table class="members"><thead><tr><th></th><th>id</th><th>source</th><th>date</th><th>title</th>` +
      "<th>similarity</th><th>relation</th><th>Jaccard</th><th>containment</th></tr></thead><tbody>" + rows + "</tbody></table>";
  }

  function compare(detail, c, k) {
    const member = c.m[k];
    const a = docs[c.m[0][0]];
    const b = docs[member[0]];
    const blocks = member[5];
    detail.querySelectorAll("table.members tr").forEach((tr) => tr.classList.toggle("selected", tr.dataset.k === String(k)));
    detail.querySelector(".diff").innerHTML = sideHtml(a, blocks, 0, "side-a", "canonical") + sideHtml(b, blocks, 1, "side-b", `member, ${member[4]} ${num(member[3])}`);
  }

  function sideHtml(d, blocks, side, cls, label) {
    const parts = textOf(d).split(SPLIT);
    const words = parts.filter((p, i) => i % 2 === 0 && p).length;
    const same = new Uint8Array(words);
    for (let k = 0; k < blocks.length; k += 3) same.fill(1, blocks[k + side], blocks[k + side] + blocks[k + 2]);
    let html = "<p>";
    let w = 0;
    let open = -1;
    let space = ""; // a space between words belongs to a run only when both neighbours are in it
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      if (p % 2 === 1) {
        if (/\n[ \t\r\f\v]*\n/.test(part)) {
          if (open !== -1) html += "</span>";
          open = -1;
          space = "";
          html += "</p><p>";
        } else if (open !== -1) {
          space = " ";
        }
        continue;
      }
      if (!part) continue;
      const kind = same[w++];
      if (kind !== open) {
        if (open !== -1) html += "</span>";
        html += space + (kind ? '<span class="same">' : '<span class="chg">');
        open = kind;
      } else {
        html += space;
      }
      space = "";
      html += esc(part);
    }
    if (open !== -1) html += "</span>";
    html += "</p>";
    const removed = (lines) => lines.map((r) => `<div class="removed"><span class="ln">${r[0]}</span> <span class="kind">${esc(r[1])}</span> ${esc(r[2])}</div>`).join("");
    const comments = d.comments ? `<div class="removed">${d.comments} reader-comment lines (in comments.jsonl)</div>` : "";
    return `<div class="side ${cls}"><h3>${esc(d.title || d.id)}</h3><div class="meta">${[label, d.id, d.source, d.date].filter(Boolean).map(esc).join(" · ")}</div>` +
      removed(d.above) + html + removed(d.below) + comments + "</div>";
  }

  $("cluster-rows").addEventListener("click", (event) => {
    const button = event.target.closest("button.compare");
    if (button) {
      const detail = button.closest("tr.detail-row");
      compare(detail, clusters[+detail.previousElementSibling.dataset.i], +button.dataset.k);
      return;
    }
    const row = event.target.closest("tr.cluster");
    if (row) toggle(row);
  });
  let timer = 0;
  for (const id of ["q", "source", "lo", "hi", "order"]) {
    $(id).addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(filter, 120); });
  }
  $("more").addEventListener("click", () => { limit += PAGE; render(); });
  filter();
})();
