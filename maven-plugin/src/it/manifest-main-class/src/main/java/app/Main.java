package app;

public class Main {
  public static void main(String[] args) {
    java.util.logging.Logger.getLogger("app").info("started from the manifest's Main-Class");
  }
}
