// The rich-text editor of an article's body in the admin.
//
// It uses the Tiptap/ProseMirror build that django-prose-editor ships, imported here by its path rather
// than through the package's inline import map, and it starts Tiptap without the <style> element Tiptap
// would add: the site's Content-Security-Policy allows no inline script or style (body-editor.css holds
// the few rules Tiptap needs). The editor keeps the textarea up to date; the server cleans what it saves
// with the same allow-list as the pages (articles/html.py).
import {
  Blockquote,
  Bold,
  BulletList,
  Caption,
  CodeBlock,
  crel,
  Document,
  Dropcursor,
  Editor,
  Figure,
  Gapcursor,
  gettext,
  HardBreak,
  Heading,
  History,
  HorizontalRule,
  HTML,
  Image,
  Italic,
  Link,
  ListItem,
  Mark,
  Menu,
  OrderedList,
  Paragraph,
  Table,
  TableCell,
  TableHeader,
  TableRow,
  Text,
} from "../django_prose_editor/editor.js"

// Marks the toolbar does not offer, kept so that a body using them comes out of the editor as it went in.
const keptMark = (tag, attributes = []) =>
  Mark.create({
    name: `kept_${tag}`,
    parseHTML: () => [{ tag }],
    renderHTML: ({ HTMLAttributes }) => [tag, HTMLAttributes, 0],
    addAttributes: () => Object.fromEntries(attributes.map((name) => [name, { default: null }])),
  })

const KEPT_MARKS = [
  keptMark("abbr", ["title"]),
  keptMark("cite"),
  keptMark("code"),
  keptMark("del"),
  keptMark("ins"),
  keptMark("q"),
  keptMark("s"),
  keptMark("small"),
  keptMark("sub"),
  keptMark("sup"),
  keptMark("u"),
]

// A link's dialog leaves an empty title when none is given; the body keeps no empty attribute.
const TidyLink = Link.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      title: { default: null, renderHTML: ({ title }) => (title ? { title } : {}) },
    }
  },
})

// The page shows figures without classes; the editor's own figure and caption would add them.
const PlainCaption = Caption.extend({ addAttributes: () => ({}) })

const LibraryFigure = Figure.extend({
  addOptions() {
    return { ...this.parent?.(), libraryUrl: null }
  },

  addAttributes: () => ({}),

  addMenuItems({ menu, buttons }) {
    const { libraryUrl } = this.options
    menu.defineItem({
      name: "figure",
      groups: "nodes",
      button: buttons.material("image", gettext("Insert an image from the library")),
      command: (editor) => pickLibraryImage(editor, libraryUrl),
      enabled: (editor) => editor.can().insertContent({ type: "figure", content: [{ type: "image" }] }),
    })
  },
})

const field = (label, input) => crel("div", { className: "prose-editor-dialog-field" }, [label, input])

const labelled = (text, input) => field(crel("label", { htmlFor: input.id, textContent: text }), input)

let dialogCount = 0

// A dialog listing the library's images (searched with ?q=, a page at a time when the list names the next
// one); the chosen image goes into the body as a figure, with the alternative text and caption given.
function pickLibraryImage(editor, libraryUrl) {
  const prefix = `body-editor-library-${++dialogCount}`
  const title = crel("h3", {
    id: `${prefix}-title`,
    className: "prose-editor-dialog-title",
    textContent: gettext("Insert an image from the library"),
  })
  const query = crel("input", { id: `${prefix}-query`, type: "search" })
  const search = crel("button", { type: "button", textContent: gettext("Search") })
  const choices = crel("fieldset", { className: "body-editor-library" }, [
    crel("legend", { textContent: gettext("Image") }),
  ])
  const more = crel("button", { type: "button", textContent: gettext("More images"), hidden: true })
  const status = crel("p", { className: "body-editor-library__status", role: "status" })
  const alt = crel("input", { id: `${prefix}-alt`, name: "alt", type: "text" })
  const caption = crel("input", { id: `${prefix}-caption`, name: "caption", type: "text" })
  const insert = crel("button", { type: "submit", textContent: gettext("Insert") })
  const cancel = crel("button", { type: "button", textContent: gettext("Cancel") })
  const form = crel("form", { method: "dialog" }, [
    title,
    field(
      crel("label", { htmlFor: query.id, textContent: gettext("Search the library") }),
      crel("div", { className: "prose-editor-field-with-picker" }, [query, search]),
    ),
    status,
    choices,
    more,
    labelled(gettext("Alternative text"), alt),
    labelled(gettext("Caption"), caption),
    crel("div", { className: "prose-editor-dialog-buttons" }, [insert, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog" }, [form])
  dialog.setAttribute("aria-labelledby", title.id)
  editor.view.dom.parentElement.append(dialog)

  const images = new Map()
  let nextPage = null

  async function load(url, { replace }) {
    status.textContent = gettext("Loading the library…")
    more.hidden = true
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } })
      if (!response.ok) throw new Error(response.statusText)
      const page = await response.json()
      if (replace) {
        images.clear()
        for (const choice of choices.querySelectorAll("label")) choice.remove()
      }
      for (const image of page.images) {
        const id = `${prefix}-image-${image.id}`
        images.set(String(image.id), image)
        choices.append(
          crel("label", { htmlFor: id, className: "body-editor-library__choice" }, [
            crel("input", { id, type: "radio", name: "image", value: String(image.id) }),
            crel("img", { src: image.thumbnail, alt: "" }),
            crel("span", { textContent: image.alt || image.url.split("/").pop() }),
          ]),
        )
      }
      nextPage = page.next || null
      more.hidden = !nextPage
      status.textContent = images.size ? "" : gettext("No image found.")
    } catch {
      status.textContent = gettext("The library could not be loaded; try again later.")
    }
  }

  const searchUrl = () => {
    const url = new URL(libraryUrl, window.location.href)
    if (query.value.trim()) url.searchParams.set("q", query.value.trim())
    return url.href
  }
  search.addEventListener("click", () => load(searchUrl(), { replace: true }))
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault() // searches instead of inserting
      load(searchUrl(), { replace: true })
    }
  })
  more.addEventListener("click", () => load(nextPage, { replace: false }))

  const chosen = () => images.get(form.elements.image?.value)
  let suggestedCaption = ""
  form.addEventListener("change", (event) => {
    if (event.target.name !== "image") return
    const image = chosen()
    alt.value = image.alt || ""
    if (caption.value === suggestedCaption) caption.value = image.caption || ""
    suggestedCaption = image.caption || ""
  })
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  form.addEventListener("submit", (event) => {
    const image = chosen()
    if (!image) {
      event.preventDefault()
      status.textContent = gettext("Choose an image first.")
      return
    }
    const content = [
      {
        type: "image",
        attrs: { src: image.url, alt: alt.value.trim(), width: image.width, height: image.height },
      },
    ]
    if (caption.value.trim()) {
      content.push({ type: "caption", content: [{ type: "text", text: caption.value.trim() }] })
    }
    editor.chain().focus().insertContent({ type: "figure", content }).run()
  })

  dialog.showModal()
  load(libraryUrl, { replace: true })
}

function createBodyEditor(textarea) {
  const element = crel("div", { className: "prose-editor" })
  textarea.before(element)
  element.append(textarea)
  const label = textarea.labels[0]?.textContent.replace(/:$/, "") || textarea.name
  return new Editor({
    element,
    injectCSS: false,
    content: textarea.value,
    editorProps: {
      attributes: { role: "textbox", "aria-multiline": "true", "aria-label": label },
    },
    extensions: [
      Document,
      Paragraph,
      Text,
      HardBreak,
      Heading.configure({ levels: [2, 3, 4, 5, 6] }),
      Bold,
      Italic,
      TidyLink.configure({ enableTarget: false }),
      BulletList,
      OrderedList.configure({ enableListAttributes: false }), // the page keeps no list numbering or style
      ListItem,
      Blockquote,
      HorizontalRule,
      CodeBlock,
      Table,
      TableRow,
      TableHeader,
      TableCell,
      LibraryFigure.configure({ libraryUrl: textarea.dataset.imageLibraryUrl }),
      PlainCaption,
      Image,
      ...KEPT_MARKS,
      History,
      Dropcursor,
      Gapcursor,
      HTML,
      Menu,
    ],
    onUpdate({ editor }) {
      textarea.value = editor.isEmpty ? "" : editor.getHTML()
    },
  })
}

for (const textarea of document.querySelectorAll("textarea[data-body-editor]")) {
  createBodyEditor(textarea)
}
