-- casekit: turn the anchor markers of rendering/anchors.py into Word bookmarks.
-- A marker is one character U+F0000 + N (Supplementary Private Use Area-A); in text it
-- becomes an empty bookmark named _ckN, which Word lists among its hidden bookmarks and
-- which Word and LibreOffice keep when a co-author edits and saves. A marker anywhere
-- else (code, math, raw text, a URL, an attribute) is removed, so that nothing but the
-- bookmarks tells this DOCX from one written without markers.

-- The first two bytes of U+F0000..U+FFFFF in UTF-8: F3 B0..BF.
local MARKER = '\243[\176-\191][\128-\191][\128-\191]'
local BASE = 0xF0000
-- Bookmark ids above any pandoc gives its own bookmarks (headings, reference entries).
local FIRST_ID = 1000000

local function strip(text)
  return (text:gsub(MARKER, ''))
end

local function bookmark(number)
  local id = FIRST_ID + number
  return pandoc.RawInline(
    'openxml',
    string.format(
      '<w:bookmarkStart w:id="%d" w:name="_ck%d"/><w:bookmarkEnd w:id="%d"/>',
      id, number, id
    )
  )
end

local function clean_attr(el)
  if el.attr == nil then
    return el
  end
  el.identifier = strip(el.identifier)
  for i, class in ipairs(el.classes) do
    el.classes[i] = strip(class)
  end
  for key, value in pairs(el.attributes) do
    el.attributes[key] = strip(value)
  end
  return el
end

function Str(el)
  if not el.text:find(MARKER) then
    return nil
  end
  local out = pandoc.Inlines({})
  local buffer = {}
  for _, code in utf8.codes(el.text) do
    if code >= BASE and code <= 0xFFFFD then
      if #buffer > 0 then
        out:insert(pandoc.Str(table.concat(buffer)))
        buffer = {}
      end
      out:insert(bookmark(code - BASE))
    else
      buffer[#buffer + 1] = utf8.char(code)
    end
  end
  if #buffer > 0 then
    out:insert(pandoc.Str(table.concat(buffer)))
  end
  return out
end

local function strip_text(el)
  el.text = strip(el.text)
  return clean_attr(el)
end

Code = strip_text
CodeBlock = strip_text
RawBlock = strip_text
RawInline = strip_text
Math = strip_text

function Link(el)
  el.target = strip(el.target)
  el.title = strip(el.title)
  return clean_attr(el)
end

function Image(el)
  el.src = strip(el.src)
  el.title = strip(el.title)
  return clean_attr(el)
end

Span = clean_attr
Div = clean_attr
Header = clean_attr
Table = clean_attr
Figure = clean_attr
