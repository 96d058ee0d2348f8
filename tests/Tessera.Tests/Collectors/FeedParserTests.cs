using System.Text;
using Tessera.Server.Features.Collectors;

namespace Tessera.Tests.Collectors;

public sealed class FeedParserTests
{
    private const string RssSample = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel>
            <title>Harbour Bakery &amp; Co</title>
            <link>https://bakery.example/</link>
            <description>Bread, mostly</description>
            <item>
              <title>Sourdough Saturday</title>
              <link>https://bakery.example/posts/42</link>
              <guid isPermaLink="false">bakery-post-42</guid>
              <description><![CDATA[<p>Fresh <b>loaves</b> &amp; buns</p><script>track("x > y")</script>]]></description>
              <author>ana@bakery.example (Ana Pereira)</author>
              <pubDate>Sat, 07 Mar 2026 08:30:00 +0100</pubDate>
              <media:content url="https://cdn.bakery.example/42.jpg" type="image/jpeg" medium="image" />
              <enclosure url="https://cdn.bakery.example/42.mp4" type="video/mp4" length="1000" />
            </item>
            <item>
              <title>Rye week</title>
              <link>/posts/43</link>
              <guid>https://bakery.example/posts/43</guid>
              <description>Dark rye is back.</description>
              <dc:creator>Luis</dc:creator>
              <pubDate>7 Mar 2026 07:00 GMT</pubDate>
              <enclosure url="https://cdn.bakery.example/43.png" type="image/png" length="10" />
            </item>
          </channel>
        </rss>
        """;

    private const string AtomSample = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
          <title type="text">Trail Notes</title>
          <link rel="self" href="https://trail.example/feed.atom" />
          <link href="https://trail.example/" />
          <id>urn:uuid:5f1b6a1e-0c2d-4a43-9a7e-1d6e0f8a3b21</id>
          <updated>2026-02-03T00:00:00Z</updated>
          <author><name>Trail Team</name></author>
          <entry>
            <title type="html">Ridge &lt;em&gt;at dawn&lt;/em&gt;</title>
            <link rel="edit" href="https://trail.example/api/entries/1" />
            <link rel="alternate" type="text/html" href="/2026/ridge" />
            <id>tag:trail.example,2026:1</id>
            <updated>2026-02-01T06:15:00Z</updated>
            <summary>Short summary</summary>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Cold but <strong>clear</strong>.</p><img src="https://img.trail.example/ridge.png" /></div></content>
          </entry>
          <entry>
            <title>Second &amp; last</title>
            <link href="https://trail.example/2026/second" />
            <id>tag:trail.example,2026:2</id>
            <published>2026-02-02T10:00:00+02:00</published>
            <updated>2026-02-03T00:00:00Z</updated>
            <author><name>Mia</name></author>
            <content type="text">Plain &lt;not a tag&gt;</content>
            <link rel="enclosure" type="image/webp" href="https://img.trail.example/2.webp" />
            <media:group>
              <media:content url="https://video.trail.example/2.webm" type="video/webm" />
            </media:group>
          </entry>
        </feed>
        """;

    [Fact]
    public void Rss_items_carry_guid_link_media_enclosure_and_date()
    {
        var feed = Parse(RssSample);

        Assert.Equal(FeedFormat.Rss20, feed.Format);
        Assert.Equal("Harbour Bakery & Co", feed.Title);
        Assert.Equal("https://bakery.example/", feed.Link);
        Assert.False(feed.Truncated);
        Assert.Equal(2, feed.Items.Count);

        var first = feed.Items[0];
        Assert.Equal("bakery-post-42", first.Key);
        Assert.Equal("https://bakery.example/posts/42", first.Link);
        Assert.Equal("Sourdough Saturday", first.Title);
        Assert.Equal("Fresh loaves & buns", first.Message);
        Assert.Contains("<b>loaves</b>", first.Html, StringComparison.Ordinal);
        Assert.Equal("Ana Pereira", first.Author);
        Assert.Equal("https://cdn.bakery.example/42.jpg", first.ImageUrl);
        Assert.Equal("https://cdn.bakery.example/42.mp4", first.VideoUrl);
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 7, 30, 0, TimeSpan.Zero), first.PublishedAt);

        var second = feed.Items[1];
        Assert.Equal("https://bakery.example/posts/43", second.Key);
        Assert.Equal("https://bakery.example/posts/43", second.Link); // relative link resolved against the channel's
        Assert.Equal("Luis", second.Author);
        Assert.Equal("https://cdn.bakery.example/43.png", second.ImageUrl);
        Assert.Null(second.VideoUrl);
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 7, 0, 0, TimeSpan.Zero), second.PublishedAt);
    }

    [Fact]
    public void Atom_entries_carry_id_alternate_link_and_dates()
    {
        var feed = Parse(AtomSample);

        Assert.Equal(FeedFormat.Atom10, feed.Format);
        Assert.Equal("Trail Notes", feed.Title);
        Assert.Equal("https://trail.example/", feed.Link);

        var first = feed.Items[0];
        Assert.Equal("tag:trail.example,2026:1", first.Key);
        Assert.Equal("https://trail.example/2026/ridge", first.Link);
        Assert.Equal("Ridge at dawn", first.Title);
        Assert.Equal("Cold but clear.", first.Message); // content wins over summary
        Assert.Contains("<strong>clear</strong>", first.Html, StringComparison.Ordinal);
        Assert.Equal("https://img.trail.example/ridge.png", first.ImageUrl);
        Assert.Equal("Trail Team", first.Author); // the feed's author
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 6, 15, 0, TimeSpan.Zero), first.PublishedAt); // updated, lacking published

        var second = feed.Items[1];
        Assert.Equal("Second & last", second.Title);
        Assert.Equal("Plain <not a tag>", second.Message); // type="text" is not HTML
        Assert.Null(second.Html);
        Assert.Equal("Mia", second.Author);
        Assert.Equal("https://img.trail.example/2.webp", second.ImageUrl);
        Assert.Equal("https://video.trail.example/2.webm", second.VideoUrl);
        Assert.Equal(new DateTimeOffset(2026, 2, 2, 8, 0, 0, TimeSpan.Zero), second.PublishedAt); // published wins
    }

    [Fact]
    public void Rss_1_0_items_are_read()
    {
        var feed = Parse("""
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://old.example/rss">
                <title>Old School</title>
                <link>https://old.example/</link>
              </channel>
              <item rdf:about="https://old.example/1">
                <title>First</title>
                <link>https://old.example/1</link>
                <description>Hello &lt;i&gt;there&lt;/i&gt;</description>
                <dc:creator>Rob</dc:creator>
                <dc:date>2025-12-24T18:00:00-05:00</dc:date>
              </item>
            </rdf:RDF>
            """);

        Assert.Equal(FeedFormat.Rss10, feed.Format);
        Assert.Equal("Old School", feed.Title);
        var item = Assert.Single(feed.Items);
        Assert.Equal("https://old.example/1", item.Key);
        Assert.Equal("Hello there", item.Message);
        Assert.Equal("Rob", item.Author);
        Assert.Equal(new DateTimeOffset(2025, 12, 24, 23, 0, 0, TimeSpan.Zero), item.PublishedAt);
    }

    [Fact]
    public void An_item_without_guid_is_keyed_by_its_link()
    {
        var item = Assert.Single(Parse(Rss("<item><title>T</title><link>https://shop.example/p/1</link></item>")).Items);

        Assert.Equal("https://shop.example/p/1", item.Key);
    }

    [Fact]
    public void An_item_without_guid_or_link_is_keyed_by_a_hash_of_title_and_date()
    {
        const string Item = "<item><title>Only a title</title><pubDate>Mon, 02 Feb 2026 10:00:00 GMT</pubDate></item>";
        var once = Assert.Single(Parse(Rss(Item)).Items);
        var again = Assert.Single(Parse(Rss(Item)).Items);
        var otherDate = Assert.Single(Parse(Rss(Item.Replace("10:00", "11:00", StringComparison.Ordinal))).Items);

        Assert.StartsWith("sha256:", once.Key, StringComparison.Ordinal);
        Assert.Equal(71, once.Key.Length);
        Assert.Equal(once.Key, again.Key);
        Assert.NotEqual(once.Key, otherDate.Key);
        Assert.Null(once.Link);
    }

    [Fact]
    public void A_very_long_guid_is_hashed()
    {
        var item = Assert.Single(Parse(Rss($"<item><guid isPermaLink=\"false\">{new string('g', 600)}</guid></item>")).Items);

        Assert.StartsWith("sha256:", item.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_falls_back_to_the_first_img_of_the_description()
    {
        var items = Parse(Rss("""
            <item>
              <link>https://blog.example/a</link>
              <description><![CDATA[<p>Look</p><img alt="a > b" data-x='1' src="https://img.example/a.jpg?w=1&amp;h=2"><img src="https://img.example/second.jpg">]]></description>
            </item>
            <item>
              <link>https://blog.example/b</link>
              <description>&lt;IMG SRC=/media/b.png&gt;</description>
            </item>
            <item>
              <link>https://blog.example/c</link>
              <description><![CDATA[<img src="data:image/png;base64,AAAA"> <img src="javascript:alert(1)">]]></description>
            </item>
            """)).Items;

        Assert.Equal("https://img.example/a.jpg?w=1&h=2", items[0].ImageUrl);
        Assert.Equal("https://blog.example/media/b.png", items[1].ImageUrl); // relative: resolved against the item's link
        Assert.Null(items[2].ImageUrl); // only http(s)
    }

    [Fact]
    public void Media_thumbnail_is_an_image_and_a_typed_media_content_wins_over_it()
    {
        var items = Parse(Rss("""
            <item><guid>1</guid><media:thumbnail url="https://img.example/thumb.jpg" /></item>
            <item><guid>2</guid><media:thumbnail url="https://img.example/thumb.jpg" /><media:content url="https://img.example/full" medium="image" /></item>
            <item><guid>3</guid><enclosure url="https://img.example/x.jpeg" /><enclosure url="https://files.example/doc.pdf" type="application/pdf" /></item>
            """)).Items;

        Assert.Equal("https://img.example/thumb.jpg", items[0].ImageUrl);
        Assert.Equal("https://img.example/full", items[1].ImageUrl);
        Assert.Equal("https://img.example/x.jpeg", items[2].ImageUrl); // no type: the extension decides
    }

    [Fact]
    public void Html_is_stripped_from_the_message()
    {
        const string Html = """
            <div class="post">
              <!-- a comment <b>hidden</b> -->
              <style>p { color: red }</style>
              <p>One&nbsp;&nbsp;line</p><p>Two</p>
              <a href="https://x.example" title="a > b">link</a> <b>wo</b>rd
              <br/>&lt;3 &amp; &#8364;5 &#x263A;
              <SCRIPT type="text/javascript">document.write("<p>no</p>")</SCRIPT>
              end
            </div>
            """;
        var item = Assert.Single(Parse(Rss($"<item><guid>h</guid><description><![CDATA[{Html}]]></description></item>")).Items);

        Assert.Equal("One line Two link word <3 & €5 ☺ end", item.Message);
        Assert.Equal(Html, item.Html);
    }

    [Fact]
    public void Message_and_html_are_bounded()
    {
        var body = string.Concat(Enumerable.Repeat("<p>word</p> ", 20_000)); // 240,000 characters
        var item = Assert.Single(Parse(Rss($"<item><guid>b</guid><description><![CDATA[{body}]]></description></item>")).Items);

        Assert.Equal(FeedParser.MaxMessageChars, item.Message.Length);
        Assert.Equal(FeedParser.MaxHtmlChars, item.Html?.Length);
    }

    [Fact]
    public void Items_are_bounded_per_parse()
    {
        var items = string.Concat(Enumerable.Range(0, 250).Select(i => $"<item><guid>item-{i}</guid></item>"));

        var feed = Parse(Rss(items));

        Assert.Equal(FeedParser.MaxItems, feed.Items.Count);
        Assert.True(feed.Truncated);
        Assert.Equal("item-0", feed.Items[0].Key);
        Assert.Equal("item-199", feed.Items[^1].Key);
    }

    [Fact]
    public void Entity_expansion_is_rejected()
    {
        const string BillionLaughs = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <rss version="2.0"><channel><title>&lol9;</title></channel></rss>
            """;

        var error = Assert.Throws<FeedFormatException>(() => Parse(BillionLaughs));

        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_entities_are_rejected()
    {
        const string Xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>&xxe;</title></channel></rss>
            """;

        Assert.Throws<FeedFormatException>(() => Parse(Xxe));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("{\"items\": []}")]
    [InlineData("<rss><channel><item><title>cut off")]
    [InlineData("<rss><channel></rss>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"no-such-encoding\"?><rss/>")]
    public void Garbage_is_rejected(string input)
    {
        var error = Assert.Throws<FeedFormatException>(() => Parse(input));

        Assert.Contains("not well-formed XML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_garbage_is_rejected()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);

        Assert.Throws<FeedFormatException>(() => FeedParser.Parse(bytes));
    }

    [Theory]
    [InlineData("<html><body><p>Hello</p></body></html>", "<html>")]
    [InlineData("<feed><entry/></feed>", "<feed>")] // Atom without its namespace
    [InlineData("<rss version=\"2.0\"/>", "<channel>")]
    public void Well_formed_xml_that_is_not_a_feed_is_rejected(string input, string named)
    {
        var error = Assert.Throws<FeedFormatException>(() => Parse(input));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf16_feed_with_a_bom_is_read()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Rss("<item><guid>ü</guid><title>Grüße</title></item>"))).ToArray();

        var item = Assert.Single(FeedParser.Parse(bytes).Items);

        Assert.Equal("Grüße", item.Title);
    }

    [Theory]
    [InlineData("Sat, 07 Mar 2026 08:30:00 +0100", "2026-03-07T07:30:00Z")]
    [InlineData("Sat, 07 Mar 2026 08:30:00 GMT", "2026-03-07T08:30:00Z")]
    [InlineData("Sat,07 Mar 2026 08:30:00 UT", "2026-03-07T08:30:00Z")]
    [InlineData("07 Mar 2026 08:30 Z", "2026-03-07T08:30:00Z")]
    [InlineData("Saturday, 7 March 2026 08:30:00 EST", "2026-03-07T13:30:00Z")]
    [InlineData("Sat, 07 Mar 26 08:30:00 PDT", "2026-03-07T15:30:00Z")]
    [InlineData("Sat, 07 Mar 2026 08:30:00 -05:30", "2026-03-07T14:00:00Z")]
    [InlineData("Sat, 07 Mar 2026 08:30:00", "2026-03-07T08:30:00Z")]
    [InlineData("Sat, 07 Mar 2026 08:30:00 XYZ", "2026-03-07T08:30:00Z")]
    [InlineData("Wed, 31 Dec 2025 23:59:60 GMT", "2025-12-31T23:59:59Z")]
    [InlineData("2026-03-07T08:30:00Z", "2026-03-07T08:30:00Z")]
    [InlineData("2026-03-07T08:30:00.123+02:00", "2026-03-07T06:30:00.123Z")]
    [InlineData("2026-03-07", "2026-03-07T00:00:00Z")]
    public void Feed_dates_are_read(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FeedDates.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Sat, 31 Feb 2026 08:30:00 GMT")]
    [InlineData("Sat, 07 Mar 2026 25:30:00 GMT")]
    [InlineData("Sat, 07 Foo 2026 08:30:00 GMT")]
    [InlineData("Sat, 07 Mar 2026 08:30:00 +9999")]
    public void Unreadable_dates_are_null(string text)
    {
        Assert.Null(FeedDates.Parse(text));
    }

    private static ParsedFeed Parse(string xml) => FeedParser.Parse(Encoding.UTF8.GetBytes(xml));

    private static string Rss(string items) =>
        $"""<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>{items}</channel></rss>""";
}
