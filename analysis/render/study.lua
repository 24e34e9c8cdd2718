-- Prose the analyst wrote for one study: ::: {study="id"} shows only when
-- data/report.yaml says `study: id` (the briefing passes it as metadata), so
-- report.qmd serves any corpus without printing another story's bottom line.
-- Shared by Quarto (_quarto.yml `filters:`) and the built-in renderer.

local study = ""

local function read_meta(meta)
  study = meta.study and pandoc.utils.stringify(meta.study) or ""
end

local function keep_or_drop(div)
  local want = div.attributes.study
  if want == nil then return nil end
  if want ~= study then return {} end
  div.attributes.study = nil
  return div
end

return { { Meta = read_meta }, { Div = keep_or_drop } }
