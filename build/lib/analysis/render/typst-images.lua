-- Image paths for the built-in renderer's Typst output.
-- Typst resolves a relative path against the .typ file, which sits in a
-- scratch directory, so make every local image absolute (typst runs with
-- root "/"), looking it up along --resource-path as pandoc does for HTML.
-- A raster image with a .pdf or .svg sibling is swapped for the vector one.

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

local function locate(src)
  if pandoc.path.is_absolute(src) then return exists(src) and src or nil end
  for _, dir in ipairs(PANDOC_STATE.resource_path) do
    local path = pandoc.path.normalize(pandoc.path.join{ dir, src })
    if exists(path) then return path end
  end
end

function Image(img)
  if img.src:match("^%a[%w+.-]*:") then return nil end -- data:, https:, ...
  local path = locate(img.src)
  if not path then return nil end -- typst will name the missing file
  local stem = path:gsub("%.%w+$", "")
  for _, ext in ipairs{ ".pdf", ".svg" } do
    if exists(stem .. ext) then
      path = stem .. ext
      break
    end
  end
  img.src = path
  return img
end
