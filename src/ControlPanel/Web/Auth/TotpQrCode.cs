using Microsoft.AspNetCore.Components;
using QRCoder;

namespace ControlPanel.Web.Auth;

/// <summary>The otpauth:// URI as a QR code for an authenticator app to scan: inline SVG, so no image endpoint and nothing the CSP must allow.</summary>
public static class TotpQrCode
{
    public static MarkupString Svg(string otpauthUri)
    {
        using var data = QRCodeGenerator.GenerateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.M);
        return new MarkupString(new SvgQRCode(data).GetGraphic(4));
    }
}
