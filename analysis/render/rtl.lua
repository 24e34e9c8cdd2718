-- Right-to-left blocks in Typst output.  Shared by Quarto (_quarto.yml
-- `filters:`) and the built-in renderer.
--
-- For ::: {dir="rtl" lang="ar"} pandoc's Typst writer only emits
-- `#set text(lang: "ar")`: the Arabic is shaped but the block stays
-- left-aligned and justified like the surrounding text.  Wrap such divs so
-- they run right to left and sit flush right.  HTML needs nothing: pandoc
-- keeps dir="rtl" on the <div>.

if not FORMAT:match("typst") then
  return {}
end

-- Inline Arabic inside an English sentence ([…]{dir="rtl"}): HTML isolates it
-- through the dir attribute; Typst has no such attribute, so the run is wrapped
-- in the Unicode isolates RLI … PDI, which its bidi algorithm honours.  Without
-- them «…», quotes and digits at the run's edges jump to the wrong side.
-- A data value isolated by report/markdown.py ([…]{dir="auto"}: a name that may hold
-- right-to-left letters or direction controls) gets FSI … PDI the same way.
local OPEN = { rtl = "\u{2067}", auto = "\u{2068}" }
function Span(span)
  local open = OPEN[span.attributes.dir or ""]
  if not open then return nil end
  local out = pandoc.Inlines{ pandoc.Str(open) }
  out:extend(span.content)
  out:insert(pandoc.Str("\u{2069}"))
  return out
end

function Div(div)
  if div.attributes.dir ~= "rtl" then return nil end
  -- Typst wants a bare ISO 639 code ("ar" from "ar-EG"); it also keeps quotes out.
  local lang = (div.attributes.lang or ""):match("^(%a%a%a?)") or "ar"
  local open = '#block(width: 100%)[#set text(dir: rtl, lang: "' .. lang .. '")\n'
    .. "#set par(justify: false)\n"
    .. "#align(right)["
  -- The div's content goes in bare: pandoc writes a lang div as
  -- `#block[#set text(lang: "ar"); ...` on one line, which turns a leading
  -- "== heading" into literal text.
  local out = pandoc.Blocks{ pandoc.RawBlock("typst", open) }
  out:extend(div.content)
  out:insert(pandoc.RawBlock("typst", "]]"))
  return out
end
