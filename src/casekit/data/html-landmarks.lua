-- casekit: the HTML page's landmarks (html-page.html). What the title page prints
-- before its first heading (the byline, affiliations, counts, keywords, or a blinded
-- copy's notice) joins the title in the page's <header>, the banner landmark; the rest
-- becomes the page's <main>. Screen readers then jump to the manuscript, and nothing
-- on the page is outside a landmark (axe-core's "region" and "landmark-one-main").
function Pandoc(doc)
  if doc.meta.title == nil then
    return nil
  end
  local first = #doc.blocks + 1
  for i, block in ipairs(doc.blocks) do
    if block.t == 'Header' then
      first = i
      break
    end
  end
  if first == 1 then
    return nil
  end
  local front, rest = pandoc.Blocks{}, pandoc.Blocks{}
  for i, block in ipairs(doc.blocks) do
    if i < first then
      front:insert(block)
    else
      rest:insert(block)
    end
  end
  doc.meta['casekit-front'] = pandoc.MetaBlocks(front)
  doc.blocks = rest
  return doc
end
