// Group pages: live refresh from the group's event stream, and the split editor's running preview.
// Everything here is an enhancement: the forms post and the server decides without it.
(function () {
    'use strict';

    // Live: when the stream says the group changed, fetch this page again and swap in the live part.
    var live = document.querySelector('[data-live-events]');
    if (live && 'EventSource' in window) {
        var busy = false, again = false, deferred = false;
        // Someone filling in a form of the live part (an open invite dialog, a typed amount) keeps it:
        // the refresh waits until they are done, instead of replacing what they are typing.
        var editing = function () {
            var active = document.activeElement;
            if (active && live.contains(active) && active.matches('input, textarea, select')) return true;
            if (live.querySelector('details[open]')) return true;
            return Array.prototype.some.call(live.querySelectorAll('input:not([type=hidden]), textarea'), function (el) {
                return el.value !== el.defaultValue;
            });
        };
        window.setInterval(function () {
            if (deferred && !editing()) { deferred = false; refresh(); }
        }, 1000);
        var refresh = function () {
            if (editing()) { deferred = true; return; }
            if (busy) { again = true; return; }
            busy = true;
            fetch(window.location.pathname, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
                .then(function (res) { return res.ok ? res.text() : null; })
                .then(function (html) {
                    if (!html) return;
                    var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-live-events]');
                    if (fresh) live.innerHTML = fresh.innerHTML;
                    live.setAttribute('data-refreshed', String(Date.now()));
                })
                .catch(function () { /* the next event tries again */ })
                .finally(function () {
                    busy = false;
                    if (again) { again = false; refresh(); }
                });
        };
        var source = new EventSource(live.getAttribute('data-live-events'));
        source.addEventListener('group.changed', refresh);
        source.addEventListener('open', function () { live.setAttribute('data-live', 'open'); });
    }

    document.querySelectorAll('[data-select-on-focus]').forEach(function (input) {
        input.addEventListener('focus', function () { input.select(); });
    });

    // Split editor: the same largest-remainder rule as the server (Domain/Groups/Splits.cs), in whole minor units.
    var editor = document.querySelector('[data-split-editor]');
    if (!editor || typeof BigInt === 'undefined') return;
    var amountInput = document.querySelector('[data-split-amount]');
    var currency = document.querySelector('[data-split-currency]');
    var message = editor.querySelector('[data-split-message]');
    var serverMessage = message.textContent.trim();

    function digits() {
        var option = currency.options[currency.selectedIndex];
        return parseInt(option.getAttribute('data-digits'), 10);
    }

    // "12,5" or "12.50" → minor units as BigInt, or null; at most `places` decimals.
    function parse(text, places) {
        if (text === null) return null;
        text = text.trim().replace(',', '.');
        var m = /^(\d+)(?:\.(\d+))?$/.exec(text);
        if (!m) return null;
        var frac = m[2] || '';
        if (frac.replace(/0+$/, '').length > places) return null;
        frac = (frac + '0'.repeat(places)).slice(0, places);
        return BigInt(m[1] + frac);
    }

    function format(minor, places) {
        var s = minor.toString().padStart(places + 1, '0');
        return places === 0 ? s : s.slice(0, s.length - places) + '.' + s.slice(s.length - places);
    }

    function allocate(total, parts) {
        var sum = parts.reduce(function (a, p) { return a + p.weight; }, 0n);
        var rows = parts.map(function (p) {
            var product = total * p.weight;
            return { user: p.user, floor: product / sum, rem: product % sum };
        });
        var left = total - rows.reduce(function (a, r) { return a + r.floor; }, 0n);
        rows.sort(function (a, b) { return a.rem === b.rem ? (a.user < b.user ? -1 : 1) : (a.rem > b.rem ? -1 : 1); });
        var result = {};
        rows.forEach(function (r, i) { result[r.user] = r.floor + (BigInt(i) < left ? 1n : 0n); });
        return result;
    }

    // The split's weights, or the reason it does not add up.
    function weights(mode, total, included, places) {
        var parts = [], sum = 0n;
        for (var i = 0; i < included.length; i++) {
            var row = included[i], text = row.querySelector('[data-split-value]').value.trim(), w;
            if (mode === 'equal') w = 1n;
            else if (mode === 'exact') { w = parse(text, places); if (w === null) return { problem: 'Exact amounts need an amount for everyone in the split (at most ' + places + ' decimals).' }; }
            else if (mode === 'percent') { w = parse(text, 2); if (w === null || w > 10000n) return { problem: 'Percentages are numbers from 0 to 100 with at most 2 decimals.' }; }
            else { w = /^\d+$/.test(text) ? BigInt(text) : null; if (w === null || w < 1n || w > 1000000n) return { problem: 'Shares are whole numbers from 1 to 1,000,000.' }; }
            sum += w;
            parts.push({ user: row.getAttribute('data-user'), weight: w, row: row });
        }
        if (mode === 'exact' && sum !== total) {
            var diff = sum > total ? sum - total : total - sum;
            return { problem: 'The exact amounts add up to ' + format(sum, places) + ', not ' + format(total, places) + ': ' +
                (sum < total ? format(diff, places) + ' is not assigned to anyone.' : 'they are ' + format(diff, places) + ' too much.') };
        }
        if (mode === 'percent' && sum !== 10000n) return { problem: 'The percentages add up to ' + (Number(sum) / 100) + ' %, not 100 %.' };
        if (sum === 0n) return { problem: 'At least one share must be more than zero.' };
        return { parts: parts };
    }

    // Payers: all empty means "I paid it all"; otherwise their amounts must add up to the total.
    function payersProblem(rows, total, places) {
        var filled = rows.map(function (row) { return row.querySelector('[data-split-paid]').value.trim(); }).filter(function (p) { return p !== ''; });
        if (filled.length === 0) return null;
        var sum = 0n;
        for (var i = 0; i < filled.length; i++) {
            var v = parse(filled[i], places);
            if (v === null) return 'What each person paid is an amount with at most ' + places + ' decimals.';
            sum += v;
        }
        return sum === total ? null : "The payers' amounts add up to " + format(sum, places) + ', not ' + format(total, places) + '.';
    }

    function update() {
        var mode = (editor.querySelector('[data-split-mode]:checked') || {}).value || 'equal';
        var places = digits();
        var rows = Array.prototype.slice.call(editor.querySelectorAll('[data-split-row]'));
        rows.forEach(function (row) {
            row.querySelector('[data-split-value]').disabled = mode === 'equal' || !row.querySelector('[data-split-include]').checked;
            row.querySelector('[data-split-share]').textContent = '';
        });
        var total = parse(amountInput.value, places);
        var included = rows.filter(function (row) { return row.querySelector('[data-split-include]').checked; });
        var problem = null;
        if (total === null || total === 0n) problem = 'Enter the amount to see each share.';
        else if (included.length === 0) problem = 'Tick at least one member to share the expense.';
        else {
            var split = weights(mode, total, included, places);
            if (split.problem) problem = split.problem;
            else {
                var shares = allocate(total, split.parts);
                split.parts.forEach(function (p) { p.row.querySelector('[data-split-share]').textContent = format(shares[p.user], places); });
                problem = payersProblem(rows, total, places);
            }
        }
        message.textContent = problem || '';
    }

    editor.addEventListener('input', update);
    editor.addEventListener('change', update);
    amountInput.addEventListener('input', update);
    currency.addEventListener('change', update);
    update();
    if (serverMessage && !message.textContent) message.textContent = serverMessage;
})();
