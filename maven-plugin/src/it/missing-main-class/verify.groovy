// No main class anywhere: the build fails naming the classes that could be one, and writes no image.
def log = new File(basedir, "build.log").text
assert log.contains("missing-main-class-1.0.jar has no Main-Class in its manifest and no main class is set;"
    + " classes with public static void main(String[]): app.First, app.Second")
assert !new File(basedir, "target/missing-main-class.img").exists()
true
