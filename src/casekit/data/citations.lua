-- casekit: keep each printed citation on one line.
-- Runs after --citeproc, when a Cite holds its formatted text, e.g. "[6,8–12]".
-- Typst may break a line after an en dash or a comma; a box cannot be broken.
function Cite(el)
  if FORMAT:match('typst') then
    local out = pandoc.List({ pandoc.RawInline('typst', '#box[') })
    out:extend(el.content)
    out:insert(pandoc.RawInline('typst', ']'))
    return out
  end
end
