-- casekit: drop a key cited twice inside one citation, e.g. [@a; @b; @a].
-- Runs before --citeproc, which would otherwise print "[1,2,1]"; numeric
-- journals print each number once per citation.
function Cite(el)
  local seen = {}
  local kept = pandoc.List()
  for _, citation in ipairs(el.citations) do
    if not seen[citation.id] then
      seen[citation.id] = true
      kept:insert(citation)
    end
  end
  if #kept ~= #el.citations then
    el.citations = kept
    return el
  end
end
