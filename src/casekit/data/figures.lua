-- casekit: hand the figures casekit drew (figures/NAME.png) to writers that embed
-- images. Under --sandbox pandoc reads no file it was not given, so the filter
-- puts the PNG into the media bag itself. Typst reads figures/NAME.svg on its own.
function Image(el)
  if FORMAT:match('typst') then
    return nil
  end
  local name = el.src:match('^figures/([%w_-]+)%.png$') or el.src:match('^figures/([%w_-]+)$')
  if not name then
    return nil
  end
  local path = 'figures/' .. name .. '.png'
  local file = io.open(path, 'rb')
  if not file then
    return nil
  end
  local data = file:read('a')
  file:close()
  pandoc.mediabag.insert(path, 'image/png', data)
  el.src = path
  return el
end
