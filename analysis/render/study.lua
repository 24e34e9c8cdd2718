-- Prose the analyst wrote for one study: ::: {study="id" corpus="fingerprint"} shows only when
-- data/report.yaml says `study: id` and the corpus is the one it was written about (the
-- briefing passes both as metadata: `corpus` is a hash of the article files), so report.qmd
-- serves any corpus without printing another story's bottom line, nor the seed's judgments
-- over a resampled or edited copy of its corpus.
-- Shared by Quarto (_quarto.yml `filters:`) and the built-in renderer.

local study, corpus = "", ""

local function read_meta(meta)
  study = meta.study and pandoc.utils.stringify(meta.study) or ""
  corpus = meta.corpus and pandoc.utils.stringify(meta.corpus) or ""
end

local function keep_or_drop(div)
  local want = div.attributes.study
  if want == nil then return nil end
  if want ~= study then return {} end
  local written_for = div.attributes.corpus
  if written_for ~= nil and written_for ~= corpus then return {} end
  return div.content  -- unwrapped: its headings belong to the contents list
end

return { { Meta = read_meta }, { Div = keep_or_drop } }
