-- casekit: images (and, for Typst, equations) for the writers.
--
-- Typst: give each image its alt text. Pandoc reads `![caption](x){alt="what it shows"}`
-- into the image's description (or copies the caption there when there is no alt), and
-- the html5, docx and jats writers print it; the typst writer prints `image("x.svg")`
-- with no alt, which PDF/UA-1 refuses. So each image is written as pandoc writes it, with
-- `alt: "..."` added; the figure around it and its caption stay pandoc's. An image with
-- no description is left as it is (`casekit check` reports it).
--
-- Typst: give each equation its alt text too, which PDF/UA-1 also demands: the TeX its
-- author wrote (titles in real reference stores carry math: "$O(n \log n)$", "Cu$_2$O").
-- The equation is pandoc's own Typst for it, under a set rule that holds for it alone.
--
-- Plain text: a figure is printed as its caption (see below).
--
-- Other writers: an image's alt attribute becomes its description (see below), and the
-- figures casekit drew (figures/NAME.png) are handed to writers that embed images.
-- Under --sandbox pandoc reads no file it was not given, so the filter puts the PNG into
-- the media bag itself. Typst reads figures/NAME.svg on its own.

-- A Typst string literal: only the backslash and the double quote are special inside
-- one (`#`, `$`, `*`, `[`, `]` and `<` are text there); a line break becomes a space.
local function typst_string(text)
  text = text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('[\r\n\t]', ' ')
  return '"' .. text .. '"'
end

-- An image in a paragraph keeps its `alt` attribute beside its description (`![the
-- words](x.png){alt="..."}`); only the html5 writer reads it. The attribute becomes the
-- description, as it does for a figure's image, so every writer reads the same alt.
local function alt_as_description(el)
  local alt = el.attributes.alt
  if alt == nil then
    return nil
  end
  el.attributes.alt = nil
  el.caption = pandoc.Inlines(alt)
  return el
end

-- `image(...)` as the typst writer prints it for `el` (source, width, height), with alt;
-- nil when the image has no description or the writer's form is not the one expected.
local function image_with_alt(el)
  el = alt_as_description(el) or el
  local alt = pandoc.utils.stringify(el.caption)
  if alt == '' then
    return nil
  end
  local bare = pandoc.Image({}, el.src, el.title, el.attr)
  local written = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ bare }) }), 'typst')
  local call = written:match('^%s*#box%((image%(.*%))%)%s*$')
  if not call then
    return nil
  end
  return call:sub(1, -2) .. ', alt: ' .. typst_string(alt) .. ')'
end

local function typst_figure(fig)
  -- Inside a figure the writer sets the image in code (`#figure(image(...), ...)`); a
  -- raw inline there is set in a content block, so it is written `#image(...)`.
  return fig:walk({
    Image = function(el)
      local call = image_with_alt(el)
      return call and pandoc.RawInline('typst', '#' .. call) or nil
    end,
  })
end

local function typst_inline(el)
  local call = image_with_alt(el)
  return call and pandoc.RawInline('typst', '#box(' .. call .. ')') or nil
end

local function typst_math(el)
  local typst = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ el }) }), 'typst'):gsub('%s+$', '')
  local set = '#set math.equation(alt: ' .. typst_string(el.text) .. ')'
  return pandoc.RawInline('typst', '#[' .. set .. '\n' .. typst .. ']')
end

local function embed_png(el)
  el = alt_as_description(el) or el
  local name = el.src:match('^figures/([%w_-]+)%.png$') or el.src:match('^figures/([%w_-]+)$')
  if not name then
    return el
  end
  local path = 'figures/' .. name .. '.png'
  local file = io.open(path, 'rb')
  if not file then
    return el
  end
  local data = file:read('a')
  file:close()
  pandoc.mediabag.insert(path, 'image/png', data)
  el.src = path
  return el
end

-- Plain text has no pictures: the plain writer prints a figure as its image's description
-- in brackets, and no caption. The figure is printed as its caption, as the text reads.
local function plain_figure(fig)
  local caption = pandoc.utils.blocks_to_inlines(fig.caption.long)
  return fig:walk({
    Image = function(el)
      el.caption = caption
      el.attributes.alt = nil
      return el
    end,
  })
end

if FORMAT:match('typst') then
  -- Figures first, so that each image is written in the form its place needs.
  return { { Figure = typst_figure }, { Image = typst_inline, Math = typst_math } }
end
if FORMAT == 'plain' then
  return { { Figure = plain_figure }, { Image = embed_png } }
end
return { { Image = embed_png } }
