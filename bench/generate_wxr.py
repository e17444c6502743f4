"""Write a WordPress export (WXR 1.2) of generated posts and comments, for the import benchmark.

The file is written item by item, never held in memory. Posts have a few paragraphs, an excerpt, a
category, three tags, a view count and an even share of the comments, a third of which are replies;
most comments are approved, some pending, spam or trash.

Usage: python bench/generate_wxr.py FILE [--posts 10000] [--comments 100000]
"""

import argparse
from datetime import datetime, timedelta

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Generated archive</title>
	<link>https://archive.example</link>
	<wp:wxr_version>1.2</wp:wxr_version>
{authors}
"""
AUTHOR = """	<wp:author>
		<wp:author_login><![CDATA[writer{n}]]></wp:author_login>
		<wp:author_email><![CDATA[writer{n}@archive.example]]></wp:author_email>
		<wp:author_display_name><![CDATA[Writer {n}]]></wp:author_display_name>
	</wp:author>"""
ITEM = """	<item>
		<title><![CDATA[Generated post number {n}]]></title>
		<dc:creator><![CDATA[writer{author}]]></dc:creator>
		<content:encoded><![CDATA[{body}]]></content:encoded>
		<excerpt:encoded><![CDATA[The excerpt of post {n}.]]></excerpt:encoded>
		<wp:post_id>{n}</wp:post_id>
		<wp:post_date><![CDATA[{date}]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:post_name><![CDATA[generated-post-number-{n}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="section-{section}"><![CDATA[Section {section}]]></category>
{tags}
		<wp:postmeta>
			<wp:meta_key><![CDATA[views]]></wp:meta_key>
			<wp:meta_value><![CDATA[{views}]]></wp:meta_value>
		</wp:postmeta>
{comments}	</item>
"""
TAG = """		<category domain="post_tag" nicename="tag-{n}"><![CDATA[Tag {n}]]></category>"""
COMMENT = """		<wp:comment>
			<wp:comment_id>{n}</wp:comment_id>
			<wp:comment_author><![CDATA[Reader {reader}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[reader{reader}@readers.example]]></wp:comment_author_email>
			<wp:comment_author_url>https://reader{reader}.example/</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[198.51.100.{ip}]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[{date}]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[{date}]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[Comment {n}: a reader's thoughts, in a sentence or two.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[{status}]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
		</wp:comment>
"""
FOOTER = """</channel>
</rss>
"""
AUTHORS = 10
SECTIONS = 12
TAGS = 200
COMMENT_STATUSES = ["1"] * 16 + ["0", "0", "spam", "trash"]
START = datetime(2015, 1, 1, 8, 0)
DATE = "%Y-%m-%d %H:%M:%S"


def body(n):
    return "\n\n".join(
        f"Paragraph {p} of post {n}: <strong>reporting</strong> from the archive, with "
        f'<a href="https://source.example/{n}/{p}">a source</a> and enough words to look like a real article.'
        for p in range(1, 7)
    )


def comments_of(post, first_id, count, posted):
    """The comments of one post, every third one a reply to the one before."""
    parts = []
    for offset in range(count):
        n = first_id + offset
        parts.append(
            COMMENT.format(
                n=n,
                reader=n % 5000,
                ip=n % 250 + 1,
                date=(posted + timedelta(minutes=10 * (offset + 1))).strftime(DATE),
                status=COMMENT_STATUSES[n % len(COMMENT_STATUSES)],
                parent=n - 1 if offset % 3 == 2 else 0,
            )
        )
    return "".join(parts)


def write_export(path, posts, comments):
    """Write an export of ``posts`` posts sharing ``comments`` comments to ``path``."""
    comment_id = 1
    with open(path, "w", encoding="utf-8") as export:
        export.write(HEADER.format(authors="\n".join(AUTHOR.format(n=n) for n in range(1, AUTHORS + 1))))
        for n in range(1, posts + 1):
            share = comments * n // posts - comments * (n - 1) // posts
            posted = START + timedelta(hours=6 * n)
            export.write(
                ITEM.format(
                    n=n,
                    author=n % AUTHORS + 1,
                    body=body(n),
                    date=posted.strftime(DATE),
                    section=n % SECTIONS + 1,
                    tags="\n".join(TAG.format(n=(n * 7 + k) % TAGS + 1) for k in range(3)),
                    views=n * 37 % 5000,
                    comments=comments_of(n, comment_id, share, posted),
                )
            )
            comment_id += share
        export.write(FOOTER)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    options = parser.parse_args()
    write_export(options.file, options.posts, options.comments)


if __name__ == "__main__":
    main()
