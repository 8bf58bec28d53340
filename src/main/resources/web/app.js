'use strict';
// The chat page: one WebSocket to /ws, JSON messages (docs/websocket.md). User text only ever goes in via textContent.
(() => {
  const $ = (id) => document.getElementById(id);
  const state = { ws: null, me: null, wanted: null, current: null, rooms: [], logs: new Map(), members: new Map(),
    attempts: 0, quitting: false, roomsTimer: 0 };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const hhmm = (ms) => new Date(ms || Date.now()).toTimeString().slice(0, 5);
  const send = (msg) => { if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(msg)); };
  const status = (text) => { $('status').textContent = text; };

  function logOf(room) {
    if (!state.logs.has(room)) state.logs.set(room, []);
    return state.logs.get(room);
  }
  function item(cls, time, name, text) {
    const li = el('li', cls);
    li.append(el('time', 'time', hhmm(time)));
    if (name) li.append(el('span', 'name', name));
    li.append(el('span', 'text', text));
    return li;
  }
  // A line of a room's history, as its live event would show, marked as history.
  function pastItem(l) {
    const shown = {
      said: ['said', l.name, l.text], acted: ['act', '* ' + l.name, l.text], noticed: ['said', l.name, l.text],
      topic: ['notice', null, l.name + (l.text ? ' set the topic: ' + l.text : ' cleared the topic')],
    }[l.type] || ['notice', null, l.name];
    return item('history ' + shown[0], l.time, shown[1], shown[2]);
  }
  function add(room, cls, time, name, text) {
    const li = item(cls, time, name, text);
    const log = logOf(room || state.current || 'lobby');
    log.push(li);
    if (log.length > 500) log.shift().remove();
    if ((room || state.current) === state.current) { $('log').append(li); li.scrollIntoView({ block: 'end' }); }
  }
  const notice = (text, time, room) => add(room, 'notice', time, null, text);

  function show(room) {
    state.current = room;
    $('room-title').textContent = room ? '#' + room : 'no room';
    $('log').replaceChildren(...(room ? logOf(room) : []));
    renderTabs();
    renderMembers();
    if (room) send({ type: 'who', room });
  }
  function renderTabs() {
    $('tabs').replaceChildren(...state.rooms.map((room) => {
      const b = el('button', null, '#' + room);
      b.type = 'button';
      b.setAttribute('aria-current', String(room === state.current));
      b.onclick = () => show(room);
      return el('li').appendChild(b).parentNode;
    }));
  }
  function renderMembers() {
    const names = state.members.get(state.current) || [];
    $('members').replaceChildren(...names.map((n) => el('li', n === state.me ? 'name' : null, n)));
  }
  function setMembers(room, update) {
    state.members.set(room, update(state.members.get(room) || []));
    if (room === state.current) renderMembers();
  }
  function refreshRooms() {
    clearTimeout(state.roomsTimer);
    state.roomsTimer = setTimeout(() => send({ type: 'rooms' }), 300);
  }

  const handlers = {
    prompt() {
      if (state.wanted) send({ type: 'register', name: state.wanted });
      else { $('login').hidden = false; $('chat').hidden = true; $('name').focus(); }
    },
    registered(m) {
      state.me = m.name; state.wanted = m.name; state.attempts = 0;
      $('login').hidden = true; $('chat').hidden = false;
      status('connected as ' + m.name);
      for (const room of state.rooms.filter((r) => r !== 'lobby')) send({ type: 'join', room });
      state.rooms = [];
      $('text').focus();
      send({ type: 'rooms' });
    },
    joined(m) {
      if (m.name === state.me) {
        if (!state.rooms.includes(m.room)) state.rooms.push(m.room);
        notice('you joined #' + m.room, m.time, m.room);
        show(m.room);
      } else {
        notice(m.name + ' joined', m.time, m.room);
        setMembers(m.room, (l) => l.includes(m.name) ? l : l.concat(m.name));
      }
      refreshRooms();
    },
    left(m) {
      if (m.name === state.me) {
        state.rooms = state.rooms.filter((r) => r !== m.room);
        state.logs.delete(m.room);
        show(state.rooms[0] || null);
      } else {
        notice(m.name + (m.reason === 'quit' ? ' quit' : ' left'), m.time, m.room);
        setMembers(m.room, (l) => l.filter((n) => n !== m.name));
      }
      refreshRooms();
    },
    // The lines before this user came in go above the live ones (replacing those of an earlier visit); lines asked
    // for with /history go below, after a marker.
    history(m) {
      const past = m.lines.map(pastItem);
      if (m.replay) {
        state.logs.set(m.room, past.concat(logOf(m.room).filter((li) => !li.classList.contains('history'))));
        if (m.room === state.current) $('log').replaceChildren(...logOf(m.room));
      } else {
        notice(past.length ? 'history of #' + m.room + ':' : 'no history in #' + m.room, m.time, m.room);
        for (const li of past) {
          logOf(m.room).push(li);
          if (m.room === state.current) { $('log').append(li); li.scrollIntoView({ block: 'end' }); }
        }
      }
    },
    said: (m) => add(m.room, 'said', m.time, m.name, m.text),
    acted: (m) => add(m.room, 'act', m.time, '* ' + m.name, m.text),
    nick(m) {
      if (m.name === state.me) { state.me = m.newName; state.wanted = m.newName; status('connected as ' + m.newName); }
      notice(m.name + ' is now ' + m.newName, m.time, m.room);
      setMembers(m.room, (l) => l.map((n) => (n === m.name ? m.newName : n)));
    },
    private: (m) => add(state.current, 'private', m.time, m.from + ' → ' + m.to, m.text),
    who(m) { setMembers(m.room, () => m.names); },
    rooms(m) {
      $('rooms').replaceChildren(...m.rooms.map((r) => {
        const b = el('button', null, '#' + r.room + ' (' + r.count + ')');
        b.type = 'button';
        b.onclick = () => (state.rooms.includes(r.room) ? show(r.room) : send({ type: 'join', room: r.room }));
        return el('li').appendChild(b).parentNode;
      }));
    },
    notice: (m) => notice(m.text, m.time),
    error(m) {
      if (!$('login').hidden || (!state.me && (m.code === 'name_taken' || m.code === 'invalid_name'))) {
        state.wanted = null;
        $('login').hidden = false; $('chat').hidden = true;
        $('login-error').textContent = m.text;
        $('name').focus();
      } else add(state.current, 'error', m.time, null, m.text);
    },
  };

  function connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    state.ws = ws;
    status('connecting…');
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (handlers[m.type]) handlers[m.type](m);
    };
    ws.onclose = () => {
      if (state.ws !== ws) return;
      state.me = null;
      if (state.quitting) { status('disconnected'); return; }
      const delay = Math.min(8000, 500 * 2 ** state.attempts++) * (0.75 + Math.random() / 4);
      status('disconnected, reconnecting in ' + Math.ceil(delay / 1000) + ' s');
      setTimeout(connect, delay);
    };
  }

  $('login').onsubmit = (e) => {
    e.preventDefault();
    const name = $('name').value.trim();
    if (!name) return;
    $('login-error').textContent = '';
    state.wanted = name;
    send({ type: 'register', name });
  };
  $('join').onsubmit = (e) => {
    e.preventDefault();
    const room = $('join-room').value.trim();
    if (room) joinOrShow(room);
    $('join-room').value = '';
  };
  function joinOrShow(room) {
    const key = room.toLowerCase();
    if (state.rooms.includes(key)) show(key); else send({ type: 'join', room });
  }
  $('send').onsubmit = (e) => {
    e.preventDefault();
    const text = $('text').value;
    if (!text.trim()) return;
    $('text').value = '';
    const [word, ...rest] = text.split(' ');
    const arg = rest.join(' ');
    const room = state.current;
    switch (text.startsWith('/') ? word.toLowerCase() : '') {
      case '': return send({ type: 'say', room, text });
      case '/me': return send({ type: 'act', room, text: arg });
      case '/msg': return send({ type: 'msg', to: rest[0] || '', text: rest.slice(1).join(' ') });
      case '/join': return joinOrShow(arg.trim());
      case '/part': return send({ type: 'part', room: arg.trim() || room });
      case '/nick': return send({ type: 'nick', name: arg.trim() });
      case '/who': return send({ type: 'who', room: arg.trim() || room });
      case '/rooms': return send({ type: 'rooms' });
      case '/topic': return send({ type: 'topic', room, text: arg });
      case '/history': return send(Object.assign({ type: 'history', room }, arg.trim() ? { limit: Number(arg) } : {}));
      case '/quit': state.quitting = true; return send({ type: 'quit' });
      default: return notice('commands: /me, /msg name text, /join room, /part, /nick name, /who, /rooms, /quit');
    }
  };
  setInterval(() => { if (state.me) send({ type: 'rooms' }); }, 15000);
  connect();
})();
