using ControlPanel.Engine.Nginx;

namespace ControlPanel.Engine.Tests.Nginx;

public sealed class NginxErrorParserTests
{
    [Fact]
    public void Reads_message_file_and_line_from_nginx_t_output()
    {
        var e = NginxErrorParser.Parse([
            "nginx: [emerg] unknown directive \"x\" in /etc/nginx/conf.d/controlpanel.conf:7",
            "nginx: configuration file /etc/nginx/nginx.conf test failed",
        ])!;
        Assert.Equal(new NginxError("emerg", "unknown directive \"x\"", "/etc/nginx/conf.d/controlpanel.conf", 7), e);
    }

    [Fact]
    public void Reads_error_log_lines_and_errors_without_a_location()
    {
        var logged = NginxErrorParser.Parse(["2026/11/21 22:00:00 [emerg] 123#123: bind() to 127.0.0.1:80 failed (98: Address already in use)"])!;
        Assert.Equal("bind() to 127.0.0.1:80 failed (98: Address already in use)", logged.Message);
        Assert.Null(logged.File);
        Assert.Null(NginxErrorParser.Parse(["nginx: the configuration file /etc/nginx/nginx.conf syntax is ok"]));
    }
}
