package io.pbxbridge.config;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesLocation;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;

/**
 * pbx-bridge reads application.properties and routes/ from the folder it is started in. Started elsewhere, Camel
 * Main would run with no settings and no routes ("Routes startup (total:0)") and wait: this stops it instead, naming
 * the folder it looked in.
 */
public final class ApplicationFolder extends MainListenerSupport {

    /** Before Camel reads any setting: every properties file it is told to read exists. */
    @Override
    public void beforeInitialize(BaseMainSupport main) {
        for (String text : main.getCamelContext().getPropertiesComponent().getLocations()) {
            PropertiesLocation location = new PropertiesLocation(text);
            if ("file".equals(location.getResolver())) {
                Path file = Path.of(location.getPath()).toAbsolutePath().normalize();
                if (!Files.isRegularFile(file)) {
                    throw new ConfigurationException("No " + file.getFileName() + " in " + file.getParent()
                            + ": pbx-bridge reads its settings from application.properties and its routes from routes/"
                            + " in the folder it is started in. Start it from its folder (the one holding "
                            + "application.properties, routes/ and templates/)");
                }
            }
        }
    }

    /** Before Camel Main looks for the routes: the folders its file patterns name exist. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        String patterns = Settings.resolve(context, "camel.main.routes-include-pattern")
                .orElse(main.configure().getRoutesIncludePattern());
        if (patterns == null) {
            return;
        }
        for (String pattern : patterns.split(",")) {
            pattern = pattern.trim();
            if (pattern.startsWith("file:")) {
                Path folder = folderOf(pattern.substring("file:".length()));
                if (!Files.isDirectory(folder)) {
                    throw new ConfigurationException("No " + folder.getFileName() + "/ folder in "
                            + folder.getParent() + " (camel.main.routes-include-pattern = " + patterns + "): start "
                            + "pbx-bridge from its folder (the one holding application.properties and routes/)");
                }
            }
        }
    }

    /** The folder a file pattern such as {@code routes/*.camel.yaml} looks in, made absolute. */
    private static Path folderOf(String pattern) {
        int wildcard = pattern.indexOf('*');
        String fixed = wildcard < 0 ? pattern : pattern.substring(0, wildcard);
        int slash = fixed.lastIndexOf('/');
        Path folder = Path.of(slash < 0 ? "" : fixed.substring(0, slash));
        return folder.toAbsolutePath().normalize();
    }

    /** Once the routes are loaded: there are some. */
    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model.getRouteDefinitions().isEmpty() && model.getRouteTemplateDefinitions().isEmpty()) {
            String pattern = main.configure().getRoutesIncludePattern();
            throw new ConfigurationException("No routes: camel.main.routes-include-pattern = " + pattern
                    + " finds nothing in " + Path.of("").toAbsolutePath() + ". Start pbx-bridge from its folder (the "
                    + "one holding application.properties and routes/), or set CAMEL_MAIN_ROUTES_INCLUDE_PATTERN");
        }
    }
}
