/*
 * Address Lookup widget, v1. One script tag turns a form's ordinary address fields into an
 * accessible address finder (a WAI-ARIA 1.2 combobox with a listbox popup):
 *
 *   <script src="https://SERVICE/widget/v1/address-lookup.js" defer></script>
 *   <div data-address-lookup data-key="..." data-areas="parish,ward" data-lang="cy">
 *     ...the form's own address fields (uprn, address_line_1, town, postcode...)...
 *   </div>
 *
 * Without JavaScript the plain fields work as they are. No dependencies, no inline styles, no
 * eval, no HTML built from strings: every text from the API goes in with textContent, so the
 * widget runs under a Content-Security-Policy that names only the service.
 */
(function () {
  'use strict';

  var SCRIPT = document.currentScript ||
    document.querySelector('script[src*="/widget/v1/address-lookup.js"]');
  // The service is wherever this script came from, so a council never configures a base URL.
  var API_BASE = SCRIPT ? SCRIPT.src.replace(/\/widget\/v1\/address-lookup\.js(\?.*)?$/, '') : '';

  var MIN_CHARS = 3;
  var DEBOUNCE_MS = 250;
  var ANNOUNCE_MS = 500;
  var TYPEAHEAD_LIMIT = 10;
  var POSTCODE_PAGE = 100;
  var POSTCODE_MAX = 1000;
  var FULL_POSTCODE = /^\s*([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})\s*$/;
  var POSTCODE_AT_END = /(?:^|[\s,]+)([A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2})\s*$/;
  var FIELDS = ['uprn', 'address_line_1', 'address_line_2', 'address_line_3', 'town', 'postcode'];
  var AREA_FIELDS = ['code', 'name', 'contact_name', 'contact_email'];

  var STRINGS = {
    en: {
      label: 'Search for the address',
      hint: 'Start typing the address or postcode. UK addresses only.',
      manual: "I can't find the address",
      manualOpened: 'Enter the address in the fields below.',
      results: function (n) {
        return (n === 1 ? '1 address found.' : n + ' addresses found.') +
          ' Use the up and down arrows to choose.';
      },
      inPostcode: function (n, postcode) {
        return (n === 1 ? '1 address' : n + ' addresses') + ' in ' + postcode +
          '. Use the up and down arrows to choose.';
      },
      none: 'No addresses found. Check what you typed, or enter the address yourself.',
      noneInPostcode: function (postcode) {
        return 'No addresses found for ' + postcode +
          '. Check the postcode, or enter the address yourself.';
      },
      chosen: function (label) { return 'Address chosen: ' + label; },
      unavailable: 'Address search is not available on this page. Enter the address yourself.',
      busy: 'Address search is busy. Try again in a moment, or enter the address yourself.',
      failed: 'Address search is not working at the moment. Enter the address yourself.',
      slow: 'Address search is taking too long. Try again, or enter the address yourself.'
    },
    cy: {
      label: 'Chwilio am y cyfeiriad',
      hint: "Dechreuwch deipio'r cyfeiriad neu'r cod post. Cyfeiriadau yn y DU yn unig.",
      manual: "Ni allaf ddod o hyd i'r cyfeiriad",
      manualOpened: 'Nodwch y cyfeiriad yn y meysydd isod.',
      results: function (n) {
        return 'Daethpwyd o hyd i ' + n + ' cyfeiriad.' +
          ' Defnyddiwch y saethau i fyny ac i lawr i ddewis.';
      },
      inPostcode: function (n, postcode) {
        return n + ' cyfeiriad yn ' + postcode +
          '. Defnyddiwch y saethau i fyny ac i lawr i ddewis.';
      },
      none: "Ni ddaethpwyd o hyd i unrhyw gyfeiriadau. Gwiriwch yr hyn a deipiwyd gennych, " +
        "neu nodwch y cyfeiriad eich hun.",
      noneInPostcode: function (postcode) {
        return 'Ni allwn ddod o hyd i unrhyw gyfeiriadau ar gyfer ' + postcode +
          '. Gwiriwch y cod post, neu nodwch y cyfeiriad eich hun.';
      },
      chosen: function (label) { return "Cyfeiriad wedi'i ddewis: " + label; },
      unavailable: "Nid yw'r chwilio am gyfeiriad ar gael ar y dudalen hon. " +
        'Nodwch y cyfeiriad eich hun.',
      busy: "Mae'r chwilio am gyfeiriad yn brysur. Rhowch gynnig arall arni mewn munud, " +
        'neu nodwch y cyfeiriad eich hun.',
      failed: "Nid yw'r chwilio am gyfeiriad yn gweithio ar hyn o bryd. " +
        'Nodwch y cyfeiriad eich hun.',
      slow: "Mae'r chwilio am gyfeiriad yn cymryd gormod o amser. Rhowch gynnig arall arni, " +
        'neu nodwch y cyfeiriad eich hun.'
    }
  };

  var counter = 0;

  // ---------------------------------------------------------------- small pure helpers

  function joinNonEmpty(parts, separator) {
    return parts.filter(function (part) { return part !== null && part !== undefined && part !== ''; })
      .join(separator);
  }

  /** A whole UK postcode in its display form ("FX1 1AA"), or null. */
  function fullPostcode(text) {
    var match = FULL_POSTCODE.exec(text);
    return match ? (match[1] + ' ' + match[2]).toUpperCase() : null;
  }

  function numberRange(part) {
    if (!part || (part.start_number === null && !part.start_suffix)) return '';
    var start = joinNonEmpty([part.start_number, part.start_suffix], '');
    var end = joinNonEmpty([part.end_number, part.end_suffix], '');
    return end ? start + '-' + end : start;
  }

  /** The premises and street parts of an address, most specific first, from its postal
   * (Royal Mail) form when it has one, else from its gazetteer form. */
  function addressParts(address) {
    var p = address.postal;
    if (p) {
      var street = p.dependent_thoroughfare || p.thoroughfare;
      return [p.organisation_name, p.department_name, p.sub_building_name, p.building_name,
        p.po_box_number ? 'PO Box ' + p.po_box_number : '',
        joinNonEmpty([p.building_number, street], ' '),
        p.dependent_thoroughfare ? p.thoroughfare : '',
        p.double_dependent_locality, p.dependent_locality];
    }
    var g = address.gazetteer || {};
    return [g.organisation, joinNonEmpty([g.sao && g.sao.text, numberRange(g.sao)], ' '),
      g.pao && g.pao.text, joinNonEmpty([numberRange(g.pao), g.street_description], ' '),
      g.locality];
  }

  /** An address as a form's fields: three lines (the first ones joined when there are more
   * parts than lines, so "Flat 2, Rose Court" shares a line), town and postcode. */
  function addressFields(address) {
    var lines = addressParts(address).filter(function (part) { return part; });
    while (lines.length > 3) lines.splice(0, 2, lines[0] + ', ' + lines[1]);
    var town = address.postal ? address.postal.post_town :
      (address.gazetteer && address.gazetteer.town_name);
    return {
      uprn: String(address.uprn),
      address_line_1: lines[0] || '',
      address_line_2: lines[1] || '',
      address_line_3: lines[2] || '',
      town: town || '',
      postcode: address.postcode || ''
    };
  }

  /** What the resident typed, spread over the manual fields: a postcode at the end goes to
   * the postcode field, the last comma-separated part (of two or more) to the town. */
  function typedFields(text) {
    var fields = {};
    var postcode = POSTCODE_AT_END.exec(text);
    if (postcode) {
      fields.postcode = fullPostcode(postcode[1]);
      text = text.slice(0, postcode.index);
    }
    var parts = text.split(',').map(function (part) { return part.trim(); })
      .filter(function (part) { return part; });
    if (parts.length > 1) fields.town = parts.pop();
    while (parts.length > 3) parts.splice(1, 2, parts[1] + ', ' + parts[2]);
    parts.forEach(function (part, i) { fields['address_line_' + (i + 1)] = part; });
    return fields;
  }

  /** The building a flat is in, to label the group of its flats. */
  function buildingLabel(address) {
    var p = address.postal;
    if (p) {
      return joinNonEmpty([p.building_name,
        joinNonEmpty([p.building_number, p.dependent_thoroughfare || p.thoroughfare], ' ')], ', ');
    }
    var g = address.gazetteer || {};
    return joinNonEmpty([g.pao && g.pao.text,
      joinNonEmpty([numberRange(g.pao), g.street_description], ' ')], ', ');
  }

  /** True for an element that is, or holds, a field a person fills in. */
  function holdsVisibleField(element) {
    var fields = 'input:not([type="hidden"]), select, textarea';
    return !element.hidden && (element.matches(fields) || !!element.querySelector(fields));
  }

  /** Consecutive addresses with the same parent (the flats of a building) as one group. */
  function groupByBuilding(addresses) {
    var groups = [];
    addresses.forEach(function (address) {
      var last = groups[groups.length - 1];
      if (address.parent_uprn && last && last.parent === address.parent_uprn) {
        last.items.push(address);
      } else {
        groups.push({ parent: address.parent_uprn, items: [address] });
      }
    });
    return groups;
  }

  // ---------------------------------------------------------------- the service

  function ApiFailure(kind, status) {
    this.kind = kind;
    this.status = status;
  }

  /** GET a JSON answer from the service. A simple GET (no custom headers), so a browser sends
   * no CORS preflight; the browser key travels as the `key` parameter. */
  function getJson(path, params, options) {
    var url = new URL(API_BASE + path, document.baseURI);
    Object.keys(params).forEach(function (name) { url.searchParams.set(name, params[name]); });
    if (options.key) url.searchParams.set('key', options.key);
    var timedOut = false;
    var timer = setTimeout(function () { timedOut = true; options.abort(); }, options.timeout);
    return fetch(url.toString(), { signal: options.signal, credentials: 'omit' })
      .then(function (response) {
        if (response.ok) return response.json();
        throw new ApiFailure(failureKind(response.status), response.status);
      }, function (error) {
        if (timedOut) throw new ApiFailure('slow', 0);
        if (error && error.name === 'AbortError') throw new ApiFailure('aborted', 0);
        throw new ApiFailure('failed', 0);
      })
      .finally(function () { clearTimeout(timer); });
  }

  /** Set a host form field and tell the host's own scripts (validation, frameworks). */
  function setValue(field, value) {
    if (!field) return;
    field.value = value;
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function failureKind(status) {
    if (status === 401 || status === 403) return 'unavailable';
    if (status === 429) return 'busy';
    if (status === 404) return 'none';
    if (status === 422) return 'none';
    return 'failed';
  }

  // ---------------------------------------------------------------- the widget

  function AddressLookup(container) {
    this.container = container;
    this.form = container.closest('form');
    this.strings = STRINGS[(container.getAttribute('data-lang') || 'en').slice(0, 2)] || STRINGS.en;
    this.key = container.getAttribute('data-key') || '';
    this.areaTypes = (container.getAttribute('data-areas') || '').split(',')
      .map(function (t) { return t.trim(); }).filter(function (t) { return /^[a-z0-9_]+$/.test(t); });
    this.timeout = Number(container.getAttribute('data-timeout')) || 8000;
    this.id = 'address-lookup-' + (++counter);
    this.options = [];
    this.active = -1;
    this.sequence = 0;
    this.controllers = [];
    this.lastQuery = '';
    this.build();
    this.listen();
  }

  AddressLookup.prototype.field = function (name) {
    var wanted = this.container.getAttribute('data-field-' + name.replace(/_/g, '-')) || name;
    var scope = this.form || this.container;
    return this.container.querySelector('[name="' + CSS.escape(wanted) + '"]') ||
      scope.querySelector('[name="' + CSS.escape(wanted) + '"]');
  };

  AddressLookup.prototype.element = function (tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;
    return element;
  };

  AddressLookup.prototype.build = function () {
    var id = this.id;
    var root = this.element('div', 'address-lookup govuk-form-group');
    var label = this.element('label', 'govuk-label address-lookup__label', this.strings.label);
    label.htmlFor = id + '-input';
    label.id = id + '-label';
    var hint = this.element('div', 'govuk-hint address-lookup__hint', this.strings.hint);
    hint.id = id + '-hint';
    var input = this.element('input', 'govuk-input address-lookup__input');
    input.id = id + '-input';
    input.type = 'text';
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', id + '-listbox');
    input.setAttribute('aria-describedby', id + '-hint');
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('spellcheck', 'false');
    var listbox = this.element('ul', 'address-lookup__listbox');
    listbox.id = id + '-listbox';
    listbox.setAttribute('role', 'listbox');
    listbox.setAttribute('aria-labelledby', id + '-label');
    listbox.hidden = true;
    var message = this.element('p', 'govuk-body address-lookup__message');
    message.id = id + '-message';
    message.hidden = true;
    var status = this.element('div', 'govuk-visually-hidden address-lookup__status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    status.setAttribute('aria-atomic', 'true');
    var manual = this.element('a', 'govuk-link address-lookup__manual', this.strings.manual);
    var firstField = this.field('address_line_1');
    manual.href = '#' + (firstField && firstField.id ? firstField.id : id + '-input');
    var manualLine = this.element('p', 'govuk-body address-lookup__manual-line');
    manualLine.appendChild(manual);
    [label, hint, input, listbox, message, manualLine, status].forEach(function (child) {
      root.appendChild(child);
    });
    this.hideManualFields();
    // The search goes where the fields begin: after the container's legend and hints.
    this.container.insertBefore(root, this.manualFields[0] || null);
    this.container.classList.add('address-lookup--enhanced');
    Object.assign(this, { root: root, input: input, listbox: listbox, message: message,
      status: status, manual: manual });
  };

  /** Hide the plain fields behind the search, unless the resident has already used them (a
   * form shown again with their values or with an error must keep them in view). */
  AddressLookup.prototype.hideManualFields = function () {
    this.manualFields = Array.prototype.filter.call(this.container.children, holdsVisibleField);
    var used = FIELDS.slice(1).some(function (name) {
      var field = this.field(name);
      return field && field.value;
    }, this) || this.container.querySelector('.govuk-form-group--error');
    if (!used) this.manualFields.forEach(function (child) { child.hidden = true; });
  };

  AddressLookup.prototype.showManualFields = function () {
    this.manualFields.forEach(function (child) { child.hidden = false; });
  };

  AddressLookup.prototype.listen = function () {
    var self = this;
    this.input.addEventListener('input', function () { self.onInput(); });
    this.input.addEventListener('keydown', function (event) { self.onKeyDown(event); });
    this.input.addEventListener('focus', function () { self.watchValue(); });
    this.root.addEventListener('focusout', function (event) {
      if (!self.root.contains(event.relatedTarget)) self.close();
    });
    this.input.addEventListener('blur', function () { clearInterval(self.watcher); });
    // mousedown would move focus away from the combobox before the click lands.
    this.listbox.addEventListener('mousedown', function (event) { event.preventDefault(); });
    this.listbox.addEventListener('click', function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) self.choose(Number(option.getAttribute('data-index')));
    });
    this.manual.addEventListener('click', function (event) {
      event.preventDefault();
      self.enterManually();
    });
    FIELDS.slice(1).forEach(function (name) {
      var field = self.field(name);
      if (field) field.addEventListener('input', function () { self.forgetChoice(); });
    });
  };

  /** Speech tools such as Dragon may set the value without an input event: while the field
   * has focus, notice a changed value anyway. */
  AddressLookup.prototype.watchValue = function () {
    var self = this;
    clearInterval(this.watcher);
    this.watcher = setInterval(function () {
      if (self.input.value !== self.lastQuery) self.onInput();
    }, 300);
  };

  AddressLookup.prototype.onInput = function () {
    var query = this.input.value;
    if (query === this.lastQuery) return;
    this.lastQuery = query;
    this.cancel();
    this.setMessage('');
    if (query.trim().length < MIN_CHARS) {
      this.render([]);
      return;
    }
    var sequence = this.sequence;
    var self = this;
    var postcode = fullPostcode(query);
    this.timer = setTimeout(function () {
      (postcode ? self.findInPostcode(postcode, sequence) : self.suggest(query, sequence))
        .catch(function (failure) { self.failed(failure, sequence, postcode); });
    }, postcode ? 0 : DEBOUNCE_MS);
  };

  /** Forget the request in flight: a newer query is on its way, so its answer must never be
   * shown (the sequence number) and the service need not finish it (the abort). */
  AddressLookup.prototype.cancel = function () {
    clearTimeout(this.timer);
    this.sequence += 1;
    this.controllers.forEach(function (controller) { controller.abort(); });
    this.controllers = [];
  };

  AddressLookup.prototype.request = function (path, params) {
    var controller = new AbortController();
    this.controllers.push(controller);
    return getJson(path, params, { key: this.key, signal: controller.signal,
      abort: function () { controller.abort(); }, timeout: this.timeout });
  };

  AddressLookup.prototype.suggest = function (query, sequence) {
    var self = this;
    var params = { q: query.trim(), limit: TYPEAHEAD_LIMIT };
    return this.request('/v1/addresses/autocomplete', params).then(function (answer) {
      if (sequence !== self.sequence) return;
      self.show(answer.results.map(function (result) {
        return { label: result.address, uprn: result.uprn, address: null };
      }), false, answer.results.length ? self.strings.results(answer.results.length) :
        self.strings.none);
    });
  };

  AddressLookup.prototype.findInPostcode = function (postcode, sequence) {
    var self = this;
    return this.allInPostcode(postcode, 0, []).then(function (addresses) {
      if (sequence !== self.sequence) return;
      self.show(addresses.map(function (address) {
        return { label: address.address, uprn: address.uprn, address: address };
      }), true, addresses.length ? self.strings.inPostcode(addresses.length, postcode) :
        self.strings.noneInPostcode(postcode));
    });
  };

  /** Every address in the postcode, page after page: one list, never a paginated one. */
  AddressLookup.prototype.allInPostcode = function (postcode, offset, found) {
    var self = this;
    var params = { limit: POSTCODE_PAGE, offset: offset };
    var path = '/v1/postcodes/' + encodeURIComponent(postcode);
    return this.request(path, params).then(function (answer) {
      found = found.concat(answer.addresses);
      var more = found.length < answer.total && found.length < POSTCODE_MAX && answer.addresses.length;
      return more ? self.allInPostcode(postcode, found.length, found) : found;
    });
  };

  /** One short, calm message for any failure; the typed text stays, and the manual entry
   * link stays in reach. */
  AddressLookup.prototype.failed = function (failure, sequence, postcode) {
    if (sequence !== this.sequence || failure.kind === 'aborted') return;
    if (!(failure instanceof ApiFailure)) throw failure;
    var text = this.strings[failure.kind] || this.strings.failed;
    if (failure.kind === 'none') {
      text = postcode ? this.strings.noneInPostcode(postcode) : this.strings.none;
    }
    this.show([], false, text);
  };

  /** Show a new list (or none) and say what it holds: the count, or why it is empty. */
  AddressLookup.prototype.show = function (options, grouped, text) {
    this.render(options, grouped);
    this.setMessage(options.length ? '' : text);
    this.announce(text);
  };

  // ---------------------------------------------------------------- the list

  AddressLookup.prototype.render = function (options, grouped) {
    this.options = options;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.listbox.textContent = '';
    if (grouped) {
      groupByBuilding(options.map(function (option) { return option.address; }))
        .forEach(function (group) { this.renderGroup(group); }, this);
    } else {
      options.forEach(function (option, index) {
        this.listbox.appendChild(this.optionElement(option, index));
      }, this);
    }
    this.open(options.length > 0);
  };

  AddressLookup.prototype.renderGroup = function (group) {
    var index = this.indexOf(group.items[0]);
    if (group.items.length === 1) {
      this.listbox.appendChild(this.optionElement(this.options[index], index));
      return;
    }
    var holder = this.element('li', 'address-lookup__group');
    holder.setAttribute('role', 'presentation');
    var list = this.element('ul', 'address-lookup__group-list');
    list.setAttribute('role', 'group');
    var label = this.element('li', 'address-lookup__group-label', buildingLabel(group.items[0]));
    label.setAttribute('role', 'presentation');
    label.id = this.id + '-group-' + index;
    list.setAttribute('aria-labelledby', label.id);
    list.appendChild(label);
    group.items.forEach(function (_, offset) {
      list.appendChild(this.optionElement(this.options[index + offset], index + offset));
    }, this);
    holder.appendChild(list);
    this.listbox.appendChild(holder);
  };

  AddressLookup.prototype.indexOf = function (address) {
    for (var i = 0; i < this.options.length; i += 1) {
      if (this.options[i].address === address) return i;
    }
    return -1;
  };

  AddressLookup.prototype.optionElement = function (option, index) {
    var element = this.element('li', 'address-lookup__option', option.label);
    element.id = this.id + '-option-' + index;
    element.setAttribute('role', 'option');
    element.setAttribute('aria-selected', 'false');
    element.setAttribute('aria-posinset', String(index + 1));
    element.setAttribute('aria-setsize', String(this.options.length));
    element.setAttribute('data-index', String(index));
    element.setAttribute('data-uprn', String(option.uprn));
    return element;
  };

  AddressLookup.prototype.open = function (shown) {
    this.listbox.hidden = !shown;
    this.input.setAttribute('aria-expanded', shown ? 'true' : 'false');
    if (!shown) this.input.removeAttribute('aria-activedescendant');
  };

  AddressLookup.prototype.close = function () {
    this.open(false);
  };

  AddressLookup.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  AddressLookup.prototype.highlight = function (index) {
    var previous = document.getElementById(this.id + '-option-' + this.active);
    if (previous) {
      previous.setAttribute('aria-selected', 'false');
      previous.classList.remove('address-lookup__option--active');
    }
    this.active = index;
    var current = document.getElementById(this.id + '-option-' + index);
    if (!current) {
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    current.setAttribute('aria-selected', 'true');
    current.classList.add('address-lookup__option--active');
    this.input.setAttribute('aria-activedescendant', current.id);
    current.scrollIntoView({ block: 'nearest' });
  };

  AddressLookup.prototype.onKeyDown = function (event) {
    var count = this.options.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!count) return;
      event.preventDefault();
      if (!this.isOpen()) this.open(true);
      var step = event.key === 'ArrowDown' ? 1 : -1;
      var next = this.active === -1 && step < 0 ? count - 1 : this.active + step;
      this.highlight((next + count) % count);
    } else if (event.key === 'Enter') {
      // The search box is not a form field: Enter chooses, it never submits the form.
      event.preventDefault();
      if (this.isOpen() && this.active >= 0) this.choose(this.active);
    } else if (event.key === 'Escape') {
      if (this.isOpen()) event.preventDefault();
      this.close();
    } else if (event.key === 'Tab') {
      this.close();
    }
  };

  // ---------------------------------------------------------------- choosing

  AddressLookup.prototype.choose = function (index) {
    var option = this.options[index];
    if (!option) return;
    var self = this;
    this.close();
    this.cancel();
    this.input.value = option.label;
    this.lastQuery = option.label;
    var sequence = this.sequence;
    var address = option.address ? Promise.resolve(option.address) :
      this.request('/v1/addresses/' + option.uprn, {});
    // Without its areas an address is still worth filling in: the form's own server can
    // find them later, so a failed areas lookup leaves those fields empty.
    var areas = this.areaTypes.length ?
      this.request('/v1/areas', { uprn: option.uprn, types: this.areaTypes.join(',') })
        .catch(function () { return null; }) :
      Promise.resolve(null);
    Promise.all([address, areas]).then(function (answers) {
      if (sequence !== self.sequence) return;
      self.chosen(answers[0], answers[1]);
    }, function (failure) { self.failed(failure, sequence, null); });
  };

  AddressLookup.prototype.chosen = function (address, areas) {
    this.fill(addressFields(address));
    this.fillAreas(areas);
    this.showManualFields();
    this.setMessage('');
    this.announce(this.strings.chosen(this.input.value));
    this.container.dispatchEvent(new CustomEvent('address-lookup:chosen', {
      bubbles: true, detail: { address: address, areas: areas }
    }));
  };

  AddressLookup.prototype.fill = function (values) {
    Object.keys(values).forEach(function (name) {
      setValue(this.field(name), values[name]);
    }, this);
  };

  /** The area fields (parish_code, parish_contact_email...) of every type asked for: the
   * area of that type containing the address, and its first contact. */
  AddressLookup.prototype.fillAreas = function (answer) {
    var found = (answer && answer.areas) || [];
    this.areaTypes.forEach(function (type) {
      var area = found.filter(function (a) { return a.type === type; })[0];
      var contact = area && area.contacts.length ? area.contacts[0] : {};
      var values = area ? [area.code, area.name, contact.name, contact.email] : [];
      AREA_FIELDS.forEach(function (suffix, i) {
        setValue(this.field(type + '_' + suffix), values[i] || '');
      }, this);
    }, this);
  };

  /** The resident changed a filled field: the chosen UPRN and areas no longer describe what
   * the form will send, so they are cleared rather than left to mislead. */
  AddressLookup.prototype.forgetChoice = function () {
    var uprn = this.field('uprn');
    if (!uprn || !uprn.value) return;
    uprn.value = '';
    this.fillAreas(null);
  };

  AddressLookup.prototype.enterManually = function () {
    this.cancel();
    this.close();
    var typed = typedFields(this.input.value);
    Object.keys(typed).forEach(function (name) {
      var field = this.field(name);
      if (field && !field.value) field.value = typed[name];
    }, this);
    this.showManualFields();
    this.announce(this.strings.manualOpened);
    var first = this.field('address_line_1');
    if (first) first.focus();
  };

  // ---------------------------------------------------------------- messages

  AddressLookup.prototype.setMessage = function (text) {
    this.message.textContent = text;
    this.message.hidden = !text;
    var described = this.id + '-hint' + (text ? ' ' + this.id + '-message' : '');
    this.input.setAttribute('aria-describedby', described);
  };

  /** Say something in the polite live region, once typing pauses. The same words twice in a
   * row get a trailing no-break space, so screen readers announce them again. */
  AddressLookup.prototype.announce = function (text) {
    var status = this.status;
    clearTimeout(this.announcer);
    this.announcer = setTimeout(function () {
      status.textContent = status.textContent === text ? text + '\u00a0' : text;
    }, ANNOUNCE_MS);
  };

  // ---------------------------------------------------------------- start

  function addStylesheet() {
    if (!API_BASE || document.querySelector('link[href$="/widget/v1/address-lookup.css"]')) return;
    var link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = API_BASE + '/widget/v1/address-lookup.css';
    document.head.appendChild(link);
  }

  function start() {
    addStylesheet();
    var containers = document.querySelectorAll('[data-address-lookup]');
    Array.prototype.forEach.call(containers, function (container) {
      if (container.hasAttribute('data-address-lookup-ready')) return;
      container.setAttribute('data-address-lookup-ready', '');
      try {
        new AddressLookup(container); // eslint-disable-line no-new
      } catch (error) {
        // One broken container leaves its plain fields working and the others enhanced.
        if (window.console) window.console.error('address-lookup:', error);
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
