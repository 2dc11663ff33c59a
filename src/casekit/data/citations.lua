-- casekit: keep each printed citation, and each DOI or short link, on one line.
-- Runs after --citeproc, when a Cite holds its formatted text, e.g. "[6,8–12]".
-- Typst may break a line after an en dash or a comma, or inside a DOI after a slash,
-- and a reader who copies "10.1182/" + newline + "blood-2018-04-785980" gets a broken
-- DOI; a box cannot be broken. A link too long to fit a line may still break.
local SHORT_LINK = 45

local function boxed(inlines)
  local out = pandoc.List({ pandoc.RawInline('typst', '#box[') })
  out:extend(inlines)
  out:insert(pandoc.RawInline('typst', ']'))
  return out
end

function Cite(el)
  if FORMAT:match('typst') then
    return boxed(el.content)
  end
end

function Link(el)
  if FORMAT:match('typst') and utf8.len(pandoc.utils.stringify(el.content)) <= SHORT_LINK then
    return boxed({ el })
  end
end

-- The reference list as a list, so the PDF tags it as one (L, LI) and a screen reader
-- says how many entries it has. Each entry keeps its own div, the target of the links
-- from its citations; the number is the style's own text, so the list has no marker.
function Div(el)
  if FORMAT:match('typst') and el.identifier == 'refs' then
    local items = pandoc.List()
    for _, entry in ipairs(el.content) do
      items:insert({ entry })
    end
    el.content = { pandoc.BulletList(items) }
    return el
  end
end
