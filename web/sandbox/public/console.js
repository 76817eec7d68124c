// The sandbox console: pick a person, chat with the bot, tap card buttons, watch group chats.
// Plain browser JavaScript (no build step); talks only to /sandbox/api on this server.
(function () {
  'use strict';
  var current = null;
  var lastRendered = { messages: '', groups: '' };

  function api(path, body) {
    var init = body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {};
    return fetch('/sandbox/api/' + path, init).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error((data.error && data.error.message) || r.statusText);
        return data;
      });
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'onclick') node.addEventListener('click', attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function time(at) {
    var d = new Date(at);
    return d.toLocaleTimeString('zh-CN', { hour12: false });
  }

  function renderPeople(groups) {
    var box = document.getElementById('people');
    box.innerHTML = '';
    groups.forEach(function (g) {
      box.appendChild(el('div', { class: 'group-title', text: g.title }));
      g.people.forEach(function (p) {
        box.appendChild(el('button', {
          type: 'button', 'data-user': p.userId, text: p.name,
          onclick: function () { choose(p); },
        }));
      });
    });
  }

  function choose(person) {
    current = person;
    document.querySelectorAll('.people button').forEach(function (b) {
      b.classList.toggle('active', b.getAttribute('data-user') === person.userId);
    });
    document.getElementById('chat-title').textContent = '我是 ' + person.name + '（' + person.userId + '）';
    lastRendered.messages = '';
    refresh();
  }

  function renderCard(m) {
    var card = m.card;
    var node = el('div', { class: 'card', 'data-msgid': m.id, 'data-card-type': card.cardType });
    node.appendChild(el('div', { class: 'title', text: card.title || '' }));
    if (card.desc) node.appendChild(el('div', { class: 'desc', text: card.desc }));
    (card.rows || []).forEach(function (row) {
      node.appendChild(el('div', { class: 'kv' }, [el('span', { text: row.key }), document.createTextNode(row.value)]));
    });
    var selects = [];
    (card.selects || []).forEach(function (q) {
      var select = el('select', { 'data-question': q.questionKey, 'aria-label': q.title });
      q.options.forEach(function (o) { select.appendChild(el('option', { value: o.id, text: o.text })); });
      selects.push(select);
      node.appendChild(el('label', { text: q.title + ' ' }, [select]));
    });
    var buttons = el('div', { class: 'buttons' });
    (card.buttons || []).forEach(function (b, i) {
      var button = el('button', {
        type: 'button', text: b.text, class: i === 0 ? 'primary' : '', 'data-key': b.key,
        onclick: function () {
          button.disabled = true;
          var selected = selects.map(function (s) { return { questionKey: s.getAttribute('data-question'), optionIds: [s.value] }; });
          api('tap', { as: current.userId, msgid: m.id, key: b.key, selected: selected }).catch(alertError).then(refresh);
        },
      });
      if (card.finished) button.disabled = true;
      buttons.appendChild(button);
    });
    node.appendChild(buttons);
    if (card.finished) node.appendChild(el('div', { class: 'done', text: card.finished }));
    return node;
  }

  function renderMessage(m) {
    if (m.kind === 'card') return renderCard(m);
    var body = m.text || '';
    return el('div', { class: 'msg ' + (m.from === 'me' ? 'me' : 'bot'), 'data-kind': m.kind }, [
      el('div', { class: 'meta', text: (m.from === 'me' ? '我' : '吹哨机器人') + ' · ' + time(m.at) }),
      document.createTextNode(body),
    ]);
  }

  function renderMessages(messages) {
    var key = JSON.stringify(messages);
    if (key === lastRendered.messages) return;
    lastRendered.messages = key;
    var box = document.getElementById('messages');
    box.innerHTML = '';
    if (messages.length === 0) box.appendChild(el('div', { class: 'empty', text: '还没有消息。发一条问题描述试试。' }));
    messages.forEach(function (m) { box.appendChild(renderMessage(m)); });
    box.scrollTop = box.scrollHeight;
  }

  function renderGroups(chats) {
    var key = JSON.stringify(chats);
    if (key === lastRendered.groups) return;
    lastRendered.groups = key;
    var box = document.getElementById('groups');
    box.innerHTML = '';
    if (chats.length === 0) box.appendChild(el('div', { class: 'empty', text: '群里还没有消息。' }));
    chats.forEach(function (c) {
      var room = el('div', { class: 'chatroom', 'data-chat': c.id }, [el('h3', { text: c.title })]);
      c.messages.forEach(function (m) {
        room.appendChild(el('div', { class: 'msg bot' }, [el('div', { class: 'meta', text: time(m.at) }), document.createTextNode(m.text)]));
      });
      box.appendChild(room);
    });
  }

  function refresh() {
    var jobs = [api('groups').then(function (d) { renderGroups(d.chats); })];
    if (current) jobs.push(api('conversation?as=' + encodeURIComponent(current.userId)).then(function (d) { renderMessages(d.messages); }));
    return Promise.all(jobs).catch(function () { /* the next poll retries */ });
  }

  function alertError(error) { window.alert('出错了：' + error.message); }

  function needPerson() {
    if (!current) { window.alert('请先在左边选择身份'); return false; }
    return true;
  }

  document.getElementById('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = document.getElementById('text');
    if (!needPerson() || !input.value.trim()) return;
    var text = input.value;
    input.value = '';
    api('send', { as: current.userId, text: text }).catch(alertError).then(refresh);
  });

  function sendImage(base64) {
    return api('send', { as: current.userId, imageBase64: base64 }).catch(alertError).then(refresh);
  }

  document.getElementById('photo').addEventListener('change', function (event) {
    var file = event.target.files[0];
    if (!file || !needPerson()) return;
    var reader = new FileReader();
    reader.onload = function () { sendImage(String(reader.result).split(',')[1]); };
    reader.readAsDataURL(file);
    event.target.value = '';
  });

  document.getElementById('send-demo-photo').addEventListener('click', function () {
    if (needPerson()) sendImage('');
  });

  document.getElementById('send-location').addEventListener('click', function () {
    var label = document.getElementById('location-label').value.trim() || '文明大街与农机路交叉口';
    if (!needPerson()) return;
    api('send', { as: current.userId, location: { label: label, latitude: 38.0428, longitude: 114.5149 } }).catch(alertError).then(refresh);
  });

  api('people').then(function (d) { renderPeople(d.groups); }).catch(alertError);
  setInterval(refresh, 1000);
  refresh();
})();
