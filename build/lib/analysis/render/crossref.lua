-- Quarto-style cross-references for the built-in renderer (Quarto does its own).
-- Numbers #fig-*/#tbl-* figures and tables in document order, prefixes their
-- captions with "Figure N: "/"Table N: " and turns @fig-x / @tbl-x citations
-- into links reading "Figure N" (-@fig-x: just "N").

local PREFIX = { fig = "Figure", tbl = "Table" }
local numbers = {}
local counts = { fig = 0, tbl = 0 }

local function kind_of(id)
  local kind = id:match("^(%a+)%-.")
  return PREFIX[kind] and kind or nil
end

local function register(id)
  local kind = kind_of(id)
  counts[kind] = counts[kind] + 1
  numbers[id] = { kind = kind, n = counts[kind] }
  return pandoc.Inlines(PREFIX[kind] .. " " .. counts[kind])
end

-- Caption inlines become "Figure N: caption" (or just "Figure N").
local function numbered(id, inlines)
  local label = register(id)
  if inlines and #inlines > 0 then
    label:insert(pandoc.Str(":"))
    label:insert(pandoc.Space())
    label:extend(inlines)
  end
  return label
end

local function caption_inlines(caption)
  return caption.long[1] and pandoc.utils.blocks_to_inlines(caption.long) or pandoc.Inlines{}
end

-- Quarto's div syntax: the last paragraph of a #fig-/#tbl- div is its caption.
local function split_caption(div)
  local content = div.content:clone()
  if #content > 1 and content[#content].t == "Para" then
    return content, content:remove(#content).content
  end
  return content, nil
end

-- A cell's single image: unwrap it from its paragraph and give it the
-- caption as alt text (cells' images come without any).
local function lone_image(content, caption)
  local para = content[1]
  if #content ~= 1 or para.t ~= "Para" or #para.content ~= 1 or para.content[1].t ~= "Image" then
    return content
  end
  local img = para.content[1]
  if #img.caption == 0 and caption then img.caption = caption end
  return { pandoc.Plain{ img } }
end

local function first_table(blocks)
  for i, b in ipairs(blocks) do
    if b.t == "Table" then return i, b end
  end
end

local function number_div(div)
  local kind = kind_of(div.identifier)
  if not kind then return nil end
  local content, caption = split_caption(div)
  if kind == "fig" then
    local text = numbered(div.identifier, caption)
    return pandoc.Figure(lone_image(content, caption), { long = { pandoc.Plain(text) } }, div.attr), false
  end
  local i, tbl = first_table(content)
  if not tbl then
    io.stderr:write("crossref: #" .. div.identifier .. " holds no table\n")
    return nil
  end
  tbl.caption.long = { pandoc.Plain(numbered(div.identifier, caption or caption_inlines(tbl.caption))) }
  -- The id moves onto the table: a wrapping #block would shrink the Typst
  -- figure to the table's width and push its caption to the left.
  tbl.identifier = div.identifier
  content[i] = tbl
  return content, false
end

local function number_figure(fig)
  if kind_of(fig.identifier) ~= "fig" or numbers[fig.identifier] then return nil end
  fig.caption.long = { pandoc.Plain(numbered(fig.identifier, caption_inlines(fig.caption))) }
  return fig
end

local function number_table(tbl)
  if kind_of(tbl.identifier) ~= "tbl" or numbers[tbl.identifier] then return nil end
  tbl.caption.long = { pandoc.Plain(numbered(tbl.identifier, caption_inlines(tbl.caption))) }
  return tbl
end

local function reference(cite)
  local out = pandoc.Inlines{}
  for i, c in ipairs(cite.citations) do
    -- @Fig-x is Quarto's capitalised form; our prefixes are capitalised anyway.
    local id = c.id:gsub("^%u", string.lower)
    local target = numbers[id]
    -- Anything else (an "@handle" in a quote) is text: there is no
    -- bibliography, and Typst's #cite would fail without one.
    if not kind_of(id) then return cite.content end
    if i > 1 then out:extend{ pandoc.Str(","), pandoc.Space() } end
    if target then
      local text = tostring(target.n)
      if c.mode ~= "SuppressAuthor" then text = PREFIX[target.kind] .. " " .. text end
      out:insert(pandoc.Link(pandoc.Inlines(text), "#" .. id))
    else
      io.stderr:write("crossref: unresolved reference @" .. c.id .. "\n")
      out:insert(pandoc.Strong(pandoc.Inlines("?@" .. c.id)))
    end
  end
  return out
end

function Pandoc(doc)
  -- Top-down so numbers follow reading order and a div's table is seen with its div.
  doc = doc:walk{ traverse = "topdown", Div = number_div, Figure = number_figure, Table = number_table }
  return doc:walk{ Cite = reference }
end
