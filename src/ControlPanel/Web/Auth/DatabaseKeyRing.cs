using System.Xml.Linq;
using ControlPanel.Engine.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ControlPanel.Web.Auth;

/// <summary>
/// Data protection's key ring in the panel's PostgreSQL database, so every node protects and reads cookies and
/// antiforgery tokens with the same keys: a user signed in on one node is signed in on all. Our own repository over
/// the engine's table rather than Microsoft.AspNetCore.DataProtection.EntityFrameworkCore, whose context interface
/// would put an ASP.NET type into the engine's model.
/// </summary>
public sealed class DatabaseKeyRing(KeyRingStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => store.All().Select(XElement.Parse).ToList();

    public void StoreElement(XElement element, string friendlyName) => store.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
