using ControlPanel.Engine.HostConfig.Toml;

namespace ControlPanel.Engine.Tests.Registry;

public class TomlParserTests
{
    [Fact]
    public void Tables_keys_and_values_of_the_supported_forms_are_read()
    {
        var doc = TomlDocument.Parse("""
            title = "a \"quoted\" \u00e9 title"   # comment
            path = 'C:\no\escapes'
            multi = \"\"\"
            line one \
              still one\"\"\"
            raw = '''
            keep \n as is'''
            int = -1_000
            hex = 0xff
            flag = true
            ratio = 6.5e-1
            when = 1979-05-27 07:32:00Z
            list = [ 1, 2,
              3, # numbers
            ]
            inline = { a = 1, "b.c" = [true] }
            dotted.key = "v"

            [plugins."io.containerd.grpc.v1.cri" . registry]
              config_path = ""

            [[array.of.tables]]
              n = 1
            [[array.of.tables]]
              n = 2
            """.Replace("\\\"\\\"\\\"", "\"\"\""));
        Assert.Equal("a \"quoted\" é title", doc.Get("title")!.String);
        Assert.Equal(@"C:\no\escapes", doc.Get("path")!.String);
        Assert.Equal("line one still one", doc.Get("multi")!.String);
        Assert.Equal("keep \\n as is", doc.Get("raw")!.String);
        Assert.Equal(-1000, doc.Get("int")!.Integer);
        Assert.Equal(255, doc.Get("hex")!.Integer);
        Assert.True(doc.Get("flag")!.Bool);
        Assert.Equal(TomlKind.Float, doc.Get("ratio")!.Kind);
        Assert.Equal(TomlKind.DateTime, doc.Get("when")!.Kind);
        Assert.Equal(3, doc.Get("list")!.Items.Count);
        Assert.Equal(TomlKind.InlineTable, doc.Get("inline")!.Kind);
        Assert.Equal("v", doc.Get("dotted", "key")!.String);
        Assert.Equal("", doc.Get("plugins", "io.containerd.grpc.v1.cri", "registry", "config_path")!.String);
        Assert.Equal(2, doc.Tables.Count(t => t.IsArray));
    }

    // The reasons are Tomlyn's words; the line and column are where a reader should look.
    [Theory]
    [InlineData("a = 1\na = 2\n", "line 2, column 1: The key `a` is already defined at (1,1) and cannot be redefined")]
    [InlineData("[t]\nx = 1\n[t]\n", "line 3, column 1: The key `t` is already defined at (1,1) and cannot be redefined")]
    [InlineData("a = \"open\n", "line 1, column 10: Invalid newline in a string")]
    [InlineData("a = [1, 2\n", "line 2, column 1: Unexpected token `<eof>`")]
    [InlineData("[t\n", "line 1, column 3: Unexpected token found `␤` (token: `newline`) while expecting `]`")]
    [InlineData("a = 1 b = 2\n", "line 1, column 7: Unexpected token found `b` while expecting token `newline`")]
    [InlineData("a = \"\\q\"\n", "line 1, column 7: Unexpected escape character [q]")]
    [InlineData("= 1\n", "line 1, column 1: Unexpected token [=]")]
    [InlineData("a = 1\n[a]\n", "line 2, column 1: The key `a` is already defined")]
    [InlineData("a = {x = 1, x = 2}\n", "line 1, column 13: The key `a.x` is already defined")]
    public void Invalid_toml_is_refused_with_line_and_column(string text, string message) =>
        Assert.Contains(message, Assert.Throws<ConfigSyntaxException>(() => TomlDocument.Parse(text)).Message);

    [Theory]
    [InlineData("a = {b = 1,\n c = 2}\n", "line 1, column 12: a line break in an inline table is TOML 1.1")]
    [InlineData("a = {b = [1]\n, c = 2}\n", "line 1, column 13: a line break in an inline table is TOML 1.1")]
    [InlineData("a = {b = 1, }\n", "line 1, column 11: a trailing comma in an inline table is TOML 1.1")]
    [InlineData("x = 1\na = \"\\e[0m\"\n", "line 2, column 6: escape \\e is TOML 1.1")]
    [InlineData("a = \"\"\"\nok\n\\x41\"\"\"\n", "line 3, column 1: escape \\x is TOML 1.1")]
    [InlineData("t = 07:32\n", "line 1, column 5: a time without seconds is TOML 1.1")]
    [InlineData("d = 1979-05-27T07:32Z\n", "line 1, column 16: a time without seconds is TOML 1.1")]
    public void What_toml_1_1_added_is_refused_because_containerd_reads_1_0(string text, string message) =>
        Assert.Contains(message + ", and containerd reads TOML 1.0", Assert.Throws<ConfigSyntaxException>(() => TomlDocument.Parse(text)).Message);

    [Theory]
    [InlineData("a = { b = [1,\n  2], c = { d = [\n] } }\n")]
    [InlineData("a = { b = \"\"\"x\ny\"\"\" }\n")]
    [InlineData("a = [\n  { b = 1 }, # one\n  { c = 2 },\n]\n")]
    [InlineData("d = 1979-05-27T07:32:00-07:00\nt = 07:32:00.5\nl = 1979-05-27\n")]
    [InlineData("a = 'C:\\x\\e'\nb = \"\\\\e \\\\x41\"\n")]
    public void Toml_1_0_that_looks_like_it_is_read(string text) => Assert.Equal(text, TomlDocument.Parse(text).Text);

    [Theory]
    [InlineData("containerd-1.6-default.toml")]
    [InlineData("containerd-1.4-v1-mirrors.toml")]
    public void Every_value_of_a_real_config_is_found_where_it_is_and_splices_back_to_the_same_bytes(string sample)
    {
        var text = Samples.Read(sample);
        var doc = TomlDocument.Parse(text);
        Assert.NotEmpty(doc.Entries);
        foreach (var e in doc.Entries)
        {
            Assert.Equal(e.Value.Text, text[e.ValueStart..e.ValueEnd]);
            Assert.True(e.LineStart == 0 || text[e.LineStart - 1] == '\n');
            Assert.True(e.LineEnd == text.Length || text[e.LineEnd - 1] == '\n');
            Assert.Equal(text, doc.Set(e.Path, e.Value.Text));
        }
    }

    [Fact]
    public void Setting_a_key_in_an_existing_table_keeps_its_indentation_and_the_rest_of_the_text()
    {
        const string Text = "# top\n[a]\n    x = 1 # one\n\n[b]\n";
        var doc = TomlDocument.Parse(Text);
        Assert.Equal("# top\n[a]\n    x = 1 # one\n    y = \"new\"\n\n[b]\n", doc.Set(["a", "y"], "\"new\""));
        Assert.Equal("# top\n[a]\n    x = 2 # one\n\n[b]\n", doc.Set(["a", "x"], "2"));
        Assert.Equal("# top\n[a]\n\n[b]\n  z = true\n", doc.Set(["b", "z"], "true").Replace("    x = 1 # one\n", ""));
    }

    [Fact]
    public void A_new_table_goes_before_its_first_sub_table_and_comes_out_again()
    {
        const string Text = "version = 2\n\n  [p.r.mirrors]\n    [p.r.mirrors.\"docker.io\"]\n      endpoint = [\"x\"]\n";
        var set = TomlDocument.Parse(Text).Set(["p", "r", "config_path"], "\"/d\"");
        Assert.Equal("version = 2\n\n  [p.r]\n    config_path = \"/d\"\n\n  [p.r.mirrors]\n    [p.r.mirrors.\"docker.io\"]\n      endpoint = [\"x\"]\n", set);
        Assert.Equal(Text, TomlDocument.Parse(set).Remove(["p", "r", "config_path"]));
    }
}
